/*
 * Search controller: `/` (or Ctrl+Shift+F) opens a search box; each Enter goes to the next
 * slide whose text contains the query (case and accents ignored, notes left out), Shift+Enter
 * to the previous one, Escape closes. Only slides currently in the deck are searched.
 */
(function () {
  'use strict';

  Labdeck.register('search', function (context) {
    var deck = context.deck;
    if (deck.isPrintView()) return {};
    var strings = (context.config.present && context.config.present.strings) || {};
    var fold = function (s) {
      return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ');
    };
    var cache = new WeakMap();
    function textOf(section) {
      var t = cache.get(section);
      if (t === undefined) {
        var copy = section.cloneNode(true);
        Array.prototype.forEach.call(copy.querySelectorAll('aside.notes'), function (n) {
          n.remove();
        });
        t = fold(copy.textContent || '');
        cache.set(section, t);
      }
      return t;
    }

    var box = document.createElement('form');
    box.className = 'ld-search';
    box.hidden = true;
    box.setAttribute('role', 'search');
    var input = document.createElement('input');
    input.type = 'search';
    input.placeholder = strings.searchPlaceholder || 'Search';
    input.setAttribute('aria-label', strings.searchPlaceholder || 'Search');
    var status = document.createElement('span');
    status.className = 'ld-search-status';
    status.setAttribute('aria-live', 'polite');
    // Styled here so the theme needs no change; themes may override `.ld-search`.
    box.style.cssText = 'position:fixed;top:12px;right:12px;z-index:40;display:none;gap:8px;align-items:center;padding:6px 10px;background:#fff;border:2px solid #0b4fa8;border-radius:6px;font:16px sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.2)';
    input.style.cssText = 'font:inherit;border:0;outline:0;width:16em';
    box.appendChild(input);
    box.appendChild(status);
    document.body.appendChild(box);

    function matches() {
      var q = fold(input.value.trim());
      if (!q) return [];
      return deck.getSlides().filter(function (s) {
        return textOf(s).indexOf(q) !== -1;
      });
    }
    function go(step) {
      var found = matches();
      if (found.length === 0) {
        status.textContent = input.value.trim() ? strings.searchNone || '0' : '';
        box.dataset.results = '0';
        return;
      }
      var slides = deck.getSlides();
      var here = slides.indexOf(deck.getCurrentSlide());
      var target = null;
      for (var k = 1; k <= slides.length && !target; k++) {
        var candidate = slides[(here + step * k + slides.length * k) % slides.length];
        if (found.indexOf(candidate) !== -1) target = candidate;
      }
      deck.slide(deck.getIndices(target).h);
      status.textContent = found.indexOf(target) + 1 + '/' + found.length;
      box.dataset.results = String(found.length);
    }
    function open() {
      box.hidden = false;
      box.style.display = 'flex';
      input.focus();
      input.select();
    }
    function close() {
      box.hidden = true;
      box.style.display = 'none';
      input.blur();
    }
    box.addEventListener('submit', function (e) {
      e.preventDefault();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        go(e.shiftKey ? -1 : 1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close();
      }
      e.stopPropagation();
    });
    // `?` is the same key with Shift: it stays Reveal's help.
    deck.addKeyBinding({ keyCode: 191, key: '/', description: strings.searchKey || 'Search' }, function (event) {
      if (event && event.shiftKey) deck.toggleHelp();
      else open();
    });
    document.addEventListener('keydown', function (e) {
      if (e.ctrlKey && e.shiftKey && (e.key === 'F' || e.key === 'f')) {
        e.preventDefault();
        open();
      }
    });
    return { open: open, close: close, matches: matches };
  });
})();
