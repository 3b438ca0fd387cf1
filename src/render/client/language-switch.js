/*
 * Language switch controller: `L` (or the button) opens the aligned slide of the other
 * language's deck. The alignment map comes from the parity stage; when a slide has no exact
 * counterpart the target page says it landed on the nearest one.
 */
(function () {
  'use strict';

  Labdeck.register('languageSwitch', function (context) {
    var sw = context.config.languageSwitch;
    if (!sw) return {};
    var deck = context.deck;

    function targetOf(slide) {
      var id = slide && slide.getAttribute('data-slide-id');
      var entry = id && sw.map[id];
      return entry || { index: 0, exact: false };
    }

    function go() {
      var entry = targetOf(deck.getCurrentSlide());
      var toast = context.labdeck.controllers.toast;
      if (!entry.exact && toast) toast.showOnNextPage('languageSwitchNearest');
      window.location.href = sw.targetDeck + '#/' + entry.index;
    }

    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'ld-lang-switch';
    button.textContent = sw.targetLang.toUpperCase();
    button.title = context.labdeck.t('languageSwitchKey');
    button.setAttribute('aria-label', context.labdeck.t('languageSwitch'));
    button.addEventListener('click', go);
    document.body.appendChild(button);

    deck.addKeyBinding({ keyCode: 76, key: 'L', description: context.labdeck.t('languageSwitch') }, go);
    return { go: go, targetOf: targetOf };
  });
})();
