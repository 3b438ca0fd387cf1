/*
 * Extra-details controller: `X` (or `?extra=0|1` in the URL) hides or shows the slides of class
 * `extra-details` while presenting, without a rebuild. Hidden slides are taken out of Reveal's
 * DOM and put back in their place. The slide number shown is the build-time audience number
 * (`data-number`), so "slide 12" means the same slide whether extras are shown or not, and in
 * the PDF; hiding extras leaves gaps in the numbering instead of renumbering.
 */
(function () {
  'use strict';

  Labdeck.register('extraDetails', function (context) {
    var deck = context.deck;
    var labdeck = context.labdeck;
    var strings = (context.config.present && context.config.present.strings) || {};
    var container = deck.getSlidesElement();
    // Deck slides are never nested; in print view they already sit in `.pdf-page` wrappers.
    var all = Array.prototype.slice.call(container.querySelectorAll('section[data-slide-id]'));
    var extras = all.filter(function (s) {
      return s.classList.contains('extra-details');
    });
    var shown = true;
    var prefix = context.config.slideNumberPrefix || '';

    deck.configure({
      slideNumber: function (slide) {
        var section = slide || deck.getCurrentSlide();
        var n = section && section.getAttribute('data-number');
        return [prefix + (n || deck.getIndices(section).h + 1)];
      },
    });

    function nearestShown(section) {
      var i = all.indexOf(section);
      for (var j = i; j < all.length; j++) if (!all[j].classList.contains('extra-details')) return all[j];
      for (j = i; j >= 0; j--) if (!all[j].classList.contains('extra-details')) return all[j];
      return all[0];
    }

    /** Print view: an extra slide goes with its page and the notes page that follows it, if any. */
    function removeFromPrint() {
      extras.forEach(function (s) {
        var page = s.closest('.pdf-page');
        var notes = page && page.nextElementSibling;
        if (notes && notes.matches('.speaker-notes-pdf[data-layout="separate-page"]')) notes.remove();
        (page || s).remove();
      });
    }

    function setShown(value, options) {
      value = !!value;
      if (value === shown || extras.length === 0) return;
      shown = value;
      if (deck.isPrintView()) {
        // A print is laid out once: hidden extras leave for good (before the layout when
        // controllers start first, else with the page(s) the layout wrapped them in).
        if (!value) {
          removeFromPrint();
          deck.on('pdf-ready', removeFromPrint);
        }
      } else {
        var current = deck.getCurrentSlide();
        var fragment = deck.getIndices().f;
        if (value) all.forEach(function (s) { container.appendChild(s); });
        else extras.forEach(function (s) { s.remove(); });
        deck.sync();
        var target = value ? current : nearestShown(current);
        if (target) deck.slide(deck.getIndices(target).h, 0, target === current ? fragment : undefined);
      }
      var url = new URL(window.location.href);
      url.searchParams.set('extra', value ? '1' : '0');
      window.history.replaceState(null, '', url.toString());
      document.dispatchEvent(new CustomEvent('labdeck:extra', { detail: { shown: value } }));
      var toast = labdeck.controllers.toast;
      if (toast && !(options && options.quiet)) toast.show(strings[value ? 'extraShown' : 'extraHidden'] || '');
    }

    var param = new URLSearchParams(window.location.search).get('extra');
    if (param === '0' || param === 'false') setShown(false, { quiet: true });

    deck.addKeyBinding({ keyCode: 88, key: 'X', description: strings.extraKey || 'extra details' }, function () {
      setShown(!shown);
    });
    return {
      isShown: function () {
        return shown;
      },
      setShown: setShown,
      count: extras.length,
    };
  });
})();
