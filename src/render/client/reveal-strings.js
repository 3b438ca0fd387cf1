/*
 * Reveal's own words in the deck's language: the pause screen's button (`B`), the help overlay
 * (`?`) and its shortcut list, the arrows' labels, the jump-to-slide box (`G`). Reveal writes them
 * in English; this controller rewrites them from the page's UI strings (`reveal.*`).
 */
(function () {
  'use strict';

  /** Reveal's shortcut descriptions (and the notes plugin's) → UI string keys. */
  var SHORTCUTS = {
    'Next slide': 'reveal.shortcut.next',
    'Previous slide': 'reveal.shortcut.previous',
    'Navigate left': 'reveal.shortcut.left',
    'Navigate right': 'reveal.shortcut.right',
    'Navigate up': 'reveal.shortcut.up',
    'Navigate down': 'reveal.shortcut.down',
    'Navigate without fragments': 'reveal.shortcut.noFragments',
    'Jump to first/last slide': 'reveal.shortcut.firstLast',
    Pause: 'reveal.shortcut.pause',
    Fullscreen: 'reveal.shortcut.fullscreen',
    'Jump to slide': 'reveal.shortcut.jump',
    'Slide overview': 'reveal.shortcut.overview',
    'Speaker notes view': 'reveal.shortcut.speaker',
  };
  var LABELS = {
    '.controls .navigate-left': 'reveal.previousSlide',
    '.controls .navigate-right': 'reveal.nextSlide',
    '.controls .navigate-up': 'reveal.aboveSlide',
    '.controls .navigate-down': 'reveal.belowSlide',
  };

  Labdeck.register('revealStrings', function (context) {
    var deck = context.deck;
    var t = context.labdeck.t;
    var wrapper = deck.getRevealElement();

    var resume = wrapper.querySelector('.pause-overlay .resume-button');
    if (resume) resume.textContent = t('reveal.resume');
    Object.keys(LABELS).forEach(function (selector) {
      var button = wrapper.querySelector(selector);
      if (button) button.setAttribute('aria-label', t(LABELS[selector]));
    });

    var shortcuts = deck.keyboard.getShortcuts();
    Object.keys(shortcuts).forEach(function (key) {
      if (SHORTCUTS[shortcuts[key]]) shortcuts[key] = t(SHORTCUTS[shortcuts[key]]);
    });
    var bindings = deck.keyboard.getBindings();
    Object.keys(bindings).forEach(function (code) {
      var b = bindings[code];
      if (b && SHORTCUTS[b.description]) b.description = t(SHORTCUTS[b.description]);
    });

    // The help overlay and the jump box are made when asked for: rewritten as they appear.
    function dress(root) {
      var help = root.querySelector(':scope > .r-overlay-help .r-overlay-help-content');
      if (help && !help.dataset.labdeckDressed) {
        help.dataset.labdeckDressed = 'true';
        var title = help.querySelector('.title');
        if (title) title.textContent = t('reveal.helpTitle');
        var heads = help.querySelectorAll('th');
        if (heads[0]) heads[0].textContent = t('reveal.helpKey');
        if (heads[1]) heads[1].textContent = t('reveal.helpAction');
      }
      var jump = root.querySelector(':scope > .jump-to-slide .jump-to-slide-input');
      if (jump && jump.placeholder !== t('reveal.jumpToSlide')) jump.placeholder = t('reveal.jumpToSlide');
    }
    new MutationObserver(function () {
      dress(wrapper);
    }).observe(wrapper, { childList: true });
    dress(wrapper);
    return {};
  });
})();
