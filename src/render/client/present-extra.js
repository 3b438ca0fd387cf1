/*
 * Slide visibility controller, two filters applied without a rebuild:
 * - extra details: `X` or `?extra=0|1` hides or shows the slides of class `extra-details`;
 * - chapter view: `?chapter=<anchor>` (a chapter's `toc-…` anchor) keeps the deck's title slide
 *   and that chapter only, in the deck's own page (same title, variant, language and theme).
 * Filtered slides are taken out of Reveal's DOM and put back in their place. The slide number
 * shown is the build-time audience number (`data-number`), so "slide 12" is the same slide
 * whatever is hidden, and in the PDF: hiding leaves gaps in the numbering, it never renumbers.
 */
(function () {
  'use strict';

  Labdeck.register('extraDetails', function (context) {
    var deck = context.deck;
    var labdeck = context.labdeck;
    var present = context.config.present || { chapters: [] };
    var strings = present.strings || {};
    var container = deck.getSlidesElement();
    // Deck slides are never nested; in print view they already sit in `.pdf-page` wrappers.
    var all = Array.prototype.slice.call(container.querySelectorAll('section[data-slide-id]'));
    var extras = all.filter(function (s) {
      return s.classList.contains('extra-details');
    });
    var params = new URLSearchParams(window.location.search);
    var shown = !(params.get('extra') === '0' || params.get('extra') === 'false');
    var chapterIndex = -1;
    present.chapters.forEach(function (c, i) {
      if (c.anchor === params.get('chapter')) chapterIndex = i;
    });
    var prefix = context.config.slideNumberPrefix || '';

    deck.configure({
      slideNumber: function (slide) {
        var section = slide || deck.getCurrentSlide();
        var n = section && section.getAttribute('data-number');
        if (!n && section && section.hasAttribute('data-inserted')) n = insertedNumber(section);
        return [prefix + (n || deck.getIndices(section).h + 1)];
      },
    });

    // An English slide standing in for a missing translation is not part of the deck's
    // numbering: it shows the number of the slide before it with a letter (12a, 12b…).
    function insertedNumber(section) {
      var i = all.indexOf(section);
      var letters = 0;
      for (var j = i; j >= 0; j--) {
        var n = all[j].getAttribute('data-number');
        if (n) return n + String.fromCharCode(96 + Math.min(letters, 26));
        letters++;
      }
      return '0' + String.fromCharCode(96 + Math.min(letters, 26));
    }

    function visible(section) {
      if (!shown && section.classList.contains('extra-details')) return false;
      if (chapterIndex === -1) return true;
      return section === all[0] || section.getAttribute('data-chapter') === String(chapterIndex);
    }

    function nearestVisible(section) {
      var i = all.indexOf(section);
      for (var j = i; j < all.length; j++) if (visible(all[j])) return all[j];
      for (j = i; j >= 0; j--) if (visible(all[j])) return all[j];
      return all[0];
    }

    /** Print view: a hidden slide goes with its page and the notes page that follows it, if any. */
    function removeFromPrint() {
      all.forEach(function (s) {
        if (visible(s)) return;
        var page = s.closest('.pdf-page');
        var notes = page && page.nextElementSibling;
        if (notes && notes.matches('.speaker-notes-pdf[data-layout="separate-page"]')) notes.remove();
        (page || s).remove();
      });
    }

    function apply(keep) {
      if (deck.isPrintView()) {
        // A print is laid out once: hidden slides leave for good (before the layout when
        // controllers start first, else with the page(s) the layout wrapped them in).
        removeFromPrint();
        deck.on('pdf-ready', removeFromPrint);
        return;
      }
      var current = keep || deck.getCurrentSlide();
      var fragment = deck.getIndices().f;
      all.forEach(function (s) {
        if (visible(s)) container.appendChild(s);
        else s.remove();
      });
      deck.sync();
      var target = nearestVisible(current);
      if (target) deck.slide(deck.getIndices(target).h, 0, target === current ? fragment : undefined);
    }

    function setShown(value, options) {
      value = !!value;
      if (value === shown || extras.length === 0) return;
      shown = value;
      apply();
      var url = new URL(window.location.href);
      url.searchParams.set('extra', value ? '1' : '0');
      window.history.replaceState(null, '', url.toString());
      document.dispatchEvent(new CustomEvent('labdeck:extra', { detail: { shown: value } }));
      var toast = labdeck.controllers.toast;
      if (toast && !(options && options.quiet)) toast.show(strings[value ? 'extraShown' : 'extraHidden'] || '');
    }

    if (chapterIndex !== -1) {
      var chapter = present.chapters[chapterIndex];
      document.title = chapter.title + ' · ' + document.title;
      // Land on the chapter's title slide unless the URL names a slide of the chapter.
      var start = all.filter(function (s) {
        return s.getAttribute('data-chapter') === String(chapterIndex);
      })[0];
      var current = deck.getCurrentSlide();
      apply(current && current.getAttribute('data-chapter') === String(chapterIndex) ? current : start);
    } else if (!shown) apply();

    deck.addKeyBinding({ keyCode: 88, key: 'X', description: strings.extraKey || 'extra details' }, function () {
      setShown(!shown);
    });
    return {
      isShown: function () {
        return shown;
      },
      setShown: setShown,
      count: extras.length,
      chapter: chapterIndex === -1 ? null : present.chapters[chapterIndex],
    };
  });
})();
