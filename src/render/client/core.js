/*
 * labdeck client core: reads the deck's configuration, starts Reveal, then the controllers.
 * Each concern (toast, language switch, live reload, later presenter tools…) is a controller in
 * its own file that calls `Labdeck.register(name, start)`; `start(context)` runs once Reveal is
 * ready. Classic scripts, not modules, so a deck also opens straight from the disk (file://).
 */
(function () {
  'use strict';
  var configElement = document.getElementById('labdeck-config');
  var config = configElement ? JSON.parse(configElement.textContent) : {};
  var factories = [];

  var Labdeck = {
    config: config,
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
    options.plugins = window.RevealNotes ? [window.RevealNotes] : [];
    return options;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var deck = window.Reveal;
    deck.initialize(revealOptions()).then(function () {
      factories.forEach(function (f) {
        try {
          Labdeck.controllers[f.name] = f.start({ deck: deck, config: config, labdeck: Labdeck }) || {};
        } catch (e) {
          console.error('labdeck: controller ' + f.name + ' failed to start', e);
        }
      });
      document.documentElement.dataset.labdeckReady = 'true';
      document.dispatchEvent(new CustomEvent('labdeck:ready', { detail: Labdeck }));
    });
  });
})();
