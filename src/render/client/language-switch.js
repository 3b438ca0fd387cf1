/*
 * Language switch controller: `L` (or the button) opens the aligned slide of the other
 * language's deck. The alignment map comes from the parity stage; when a slide has no exact
 * counterpart the target page says it landed on the nearest one. A deck with no other language
 * keeps `L` too, to say so (Reveal would otherwise take it for "next slide").
 */
(function () {
  'use strict';

  Labdeck.register('languageSwitch', function (context) {
    var sw = context.config.languageSwitch;
    var deck = context.deck;
    var labdeck = context.labdeck;
    if (!sw) {
      deck.addKeyBinding({ keyCode: 76, key: 'L', description: labdeck.t('languageSwitch') }, function () {
        if (labdeck.controllers.toast) labdeck.controllers.toast.show(labdeck.t('languageSwitchNone'));
      });
      return {};
    }

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
