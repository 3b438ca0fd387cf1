/*
 * Reveal's own words in the deck's language: the pause screen's button (`B`), the help overlay
 * (`?`) and its shortcut list, the arrows' labels, the jump-to-slide box (`G`). Reveal writes them
 * in English; this controller rewrites them from the page's UI strings (`reveal.*`), where they
 * are shown.
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

    // Reveal's keyboard rewrites its own list on every configure(): the words are changed where
    // they are shown. Keys bound by controllers (with a description) are listed in their words.
    function bindings() {
      var all = deck.keyboard.getBindings();
      return Object.keys(all)
        .map(function (code) {
          return all[code] && all[code].description ? all[code].key : null;
        })
        .filter(Boolean);
    }

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
        // Keys a controller took (L: language) leave Reveal's own lines.
        var bound = bindings();
        Array.prototype.forEach.call(help.querySelectorAll('tr'), function (row) {
          var cells = row.querySelectorAll('td');
          if (cells.length !== 2) return;
          var description = cells[1].textContent;
          if (SHORTCUTS[description]) {
            var keys = cells[0].textContent.split(/\s*,\s*/);
            var kept = keys.filter(function (k) {
              return bound.indexOf(k) === -1;
            });
            if (kept.length > 0 && kept.length < keys.length) cells[0].textContent = kept.join(' ,  ');
            cells[1].textContent = t(SHORTCUTS[description]);
          }
        });
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
