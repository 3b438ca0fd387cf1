/*
 * labdeck client core: reads the deck's configuration, fills the slides Reveal starts on, starts
 * Reveal, fills the others, then starts the controllers.
 * Each concern (toast, language switch, live reload, later presenter tools…) is a controller in
 * its own file that calls `Labdeck.register(name, start)`; `start(context)` runs once Reveal is
 * ready and every slide has its content. Classic scripts, not modules, so a deck also opens
 * straight from the disk (file://).
 *
 * Slide contents: the page holds every `<section>` (Reveal counts, numbers and links them), but
 * past the first few their content waits, as HTML strings, in `#labdeck-slides` (the parser and
 * the style engine never see it at load). The slides around the one Reveal opens on are filled
 * before it starts; the others after the first slide is on screen, a few at a time so the page
 * keeps answering, their images left for Reveal to load when they come near (`data-src`).
 */
(function () {
  'use strict';
  var configElement = document.getElementById('labdeck-config');
  var config = configElement ? JSON.parse(configElement.textContent) : {};
  var factories = [];
  // Reveal's viewDistance: the slides it shows around the current one.
  var NEAR = 3;

  var Labdeck = {
    config: config,
    /** Reveal's API object (what its plugins get), once it has started. */
    deck: null,
    /** Every slide `<section>` of the page in order, those filtered out of the running deck included. */
    sections: [],
    /** Controllers started so far, by name: each may expose an API to the others. */
    controllers: {},
    register: function (name, start) {
      factories.push({ name: name, start: start });
    },
    /** UI string in the deck's language (locales/<lang>.json, the keys the page needs). */
    t: function (key) {
      return (config.strings && config.strings[key]) || key;
    },
  };
  window.Labdeck = Labdeck;

  function revealOptions() {
    var options = Object.assign({}, config.reveal);
    var prefix = config.slideNumberPrefix;
    if (prefix) {
      options.slideNumber = function (slide) {
        return [prefix + (window.Reveal.getIndices(slide).h + 1)];
      };
    }
    // Reveal's own API object, as plugins get it: its postMessage API (the speaker view) calls
    // methods on it, and it has the controllers (`keyboard`) the global facade does not show.
    var api = {
      id: 'labdeck-core',
      init: function (deck) {
        Labdeck.deck = deck;
      },
    };
    options.plugins = (window.RevealNotes ? [window.RevealNotes] : []).concat([api]);
    return options;
  }

  /** Contents still to put in their sections: index → HTML. */
  function pendingContents(sections) {
    var element = document.getElementById('labdeck-slides');
    var list = element ? JSON.parse(element.textContent) : [];
    if (element) element.remove();
    var pending = new Map();
    list.forEach(function (html, i) {
      if (typeof html === 'string' && sections[i]) pending.set(i, html);
    });
    return pending;
  }

  /** Index of the slide Reveal will open on: `#/12`, `#/name` (`/fragment` after either), else 0. */
  function startIndex(sections) {
    var hash = window.location.hash.replace(/^#\/?/, '').split('/')[0];
    if (!hash) return 0;
    if (/^\d+$/.test(hash)) return Math.min(Number(hash), sections.length - 1);
    var target = document.getElementById(decodeURIComponent(hash));
    var i = sections.indexOf(target);
    return i === -1 ? 0 : i;
  }

  function fill(section, html, lazyImages) {
    var template = document.createElement('template');
    template.innerHTML = html;
    if (lazyImages) {
      Array.prototype.forEach.call(template.content.querySelectorAll('img[src]'), function (img) {
        img.setAttribute('data-src', img.getAttribute('src'));
        img.removeAttribute('src');
      });
    }
    section.appendChild(template.content);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var deck = window.Reveal;
    var slidesElement = document.querySelector('.reveal .slides');
    var sections = slidesElement ? Array.prototype.slice.call(slidesElement.querySelectorAll(':scope > section')) : [];
    // Every slide of the page in order, kept for controllers: some leave Reveal's DOM (hidden extras).
    Labdeck.sections = sections;
    var pending = pendingContents(sections);
    // Printing lays out every slide at once: everything is filled first.
    var printing = /(^|[?&])print-pdf(&|=|$)/.test(window.location.search);
    var start = startIndex(sections);
    // Reveal gives each slide a background and reads its computed colour to pick a contrast
    // class, one forced style recalculation per slide (seconds on a 2,000-slide deck). The theme
    // has no slide backgrounds: saying so (transparent) skips the reading.
    sections.forEach(function (s) {
      if (!s.hasAttribute('data-background-color')) s.setAttribute('data-background-color', 'rgba(0,0,0,0)');
    });
    pending.forEach(function (html, i) {
      if (printing || Math.abs(i - start) <= NEAR) {
        fill(sections[i], html, false);
        pending.delete(i);
      }
    });

    /** After Reveal started on an empty section: it gets its content as Reveal would have set it up. */
    function fillLate(i) {
      var section = sections[i];
      fill(section, pending.get(i), Math.abs(i - deck.getIndices().h) > NEAR);
      pending.delete(i);
      if (section.querySelector('.fragment')) {
        deck.syncFragments(section);
        if (section.classList.contains('past')) {
          Array.prototype.forEach.call(section.querySelectorAll('.fragment'), function (f) {
            f.classList.add('visible');
          });
        }
      }
      if (section.classList.contains('present')) deck.syncSlide(section);
    }

    function startControllers() {
      factories.forEach(function (f) {
        try {
          Labdeck.controllers[f.name] = f.start({ deck: Labdeck.deck || deck, config: config, labdeck: Labdeck }) || {};
        } catch (e) {
          console.error('labdeck: controller ' + f.name + ' failed to start', e);
        }
      });
      document.documentElement.dataset.labdeckReady = 'true';
      document.dispatchEvent(new CustomEvent('labdeck:ready', { detail: Labdeck }));
    }

    // Reveal's start and each of its passes cost time per section: it starts with the sections
    // up to the first one's neighbours (earlier ones kept, so numbers and links stay right), and
    // gets the others once the first slide is on screen.
    var held = document.createDocumentFragment();
    if (!printing) for (var i = start + NEAR + 1; i < sections.length; i++) held.appendChild(sections[i]);

    deck.initialize(revealOptions()).then(function () {
      if (pending.size === 0 && !held.firstChild) return startControllers();
      // Moving before every slide is filled: the slides around the new one first.
      var onMove = function () {
        var h = deck.getIndices().h;
        for (var i = h - NEAR; i <= h + NEAR; i++) if (pending.has(i)) fillLate(i);
      };
      deck.on('slidechanged', onMove);
      var order = Array.from(pending.keys());
      var next = 0;
      var step = function () {
        var until = performance.now() + 40;
        while (next < order.length && performance.now() < until) {
          if (pending.has(order[next])) fillLate(order[next]);
          next++;
        }
        if (next < order.length) return setTimeout(step, 0);
        deck.off('slidechanged', onMove);
        startControllers();
      };
      // After the first slide is painted: a task queued from an animation frame runs after it.
      requestAnimationFrame(function () {
        setTimeout(function () {
          if (held.firstChild) {
            slidesElement.appendChild(held);
            deck.sync();
          }
          step();
        }, 0);
      });
    });
  });
})();
