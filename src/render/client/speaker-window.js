/*
 * The speaker view's own window (`S`): Reveal's notes plugin writes it, in English, into a
 * blank popup. This controller dresses that window when it opens: its labels in the deck's
 * language (`speaker.*` strings, the clock in the deck's locale), its title naming the deck, and
 * the "next slide" label above the next slide's frame instead of over its title.
 */
(function () {
  'use strict';

  /** The notes plugin's window name (plugin/notes.js). */
  var NOTES_WINDOW = 'reveal.js - Notes';
  var LAYOUTS = ['default', 'wide', 'tall', 'notes-only'];

  /** The next slide's frame under its label; the layout menu keeps to the label's row. */
  var STYLE =
    '#upcoming-slide { display: flex; flex-direction: column; }' +
    '#upcoming-slide > .label { position: static; flex: none; align-self: flex-start; margin: 0 0 6px; }' +
    '#upcoming-slide > iframe { flex: 1 1 0; min-height: 0; height: auto; }' +
    'body[data-speaker-layout="notes-only"] #upcoming-slide { display: none; }';

  Labdeck.register('speakerWindow', function (context) {
    var t = context.labdeck.t;
    var lang = context.config.lang || 'en';
    var layoutNames = {};
    LAYOUTS.forEach(function (id) {
      layoutNames[id] = t('speaker.layout.' + id);
    });

    function setText(element, text) {
      if (element && element.textContent !== text) element.textContent = text;
    }

    function dress(win) {
      var doc = win.document;
      if (!doc || !doc.body || doc.documentElement.hasAttribute('data-labdeck-dressed')) return;
      doc.documentElement.setAttribute('data-labdeck-dressed', 'true');
      doc.documentElement.lang = lang;
      doc.title = t('speaker.title').replace('{title}', document.title);
      var style = doc.createElement('style');
      style.textContent = STYLE;
      doc.head.appendChild(style);

      setText(doc.querySelector('#upcoming-slide > .label'), t('speaker.upcoming'));
      var time = doc.querySelector('.speaker-controls-time > h4.label');
      if (time && time.firstChild && time.firstChild.nodeType === 3) time.firstChild.textContent = t('speaker.time') + ' ';
      setText(doc.querySelector('.speaker-controls-time .reset-button'), t('speaker.reset'));
      setText(doc.querySelector('.speaker-controls-time .pacing-title'), t('speaker.pacing'));
      setText(doc.querySelector('.speaker-controls-notes > h4.label'), t('speaker.notes'));
      Array.prototype.forEach.call(doc.querySelectorAll('.speaker-layout-dropdown option'), function (option) {
        setText(option, layoutNames[option.value] || option.textContent);
      });

      // Written again by the plugin later: the layout label on each change, the status on errors.
      var dropdown = doc.querySelector('.speaker-layout-dropdown');
      var layoutLabel = doc.querySelector('.speaker-layout-label');
      function relabel() {
        var name = dropdown && layoutNames[dropdown.value];
        setText(layoutLabel, name ? t('speaker.layoutName').replace('{name}', name) : t('speaker.layout'));
      }
      var status = doc.querySelector('#connection-status');
      function restatus() {
        var text = status.textContent;
        if (/^Loading/.test(text)) setText(status, t('speaker.loading'));
        else if (/^Cross origin/.test(text)) setText(status, t('speaker.crossOrigin'));
        else if (/^Error connecting/.test(text)) setText(status, t('speaker.connectionError'));
      }
      relabel();
      if (status) restatus();
      var Observer = win.MutationObserver;
      if (layoutLabel) new Observer(relabel).observe(layoutLabel, { childList: true, characterData: true, subtree: true });
      if (status) new Observer(restatus).observe(status, { childList: true, characterData: true, subtree: true });

      // The plugin's clock asks for en-US, 12-hour time: this window's clock speaks the deck's language.
      var toLocaleTimeString = win.Date.prototype.toLocaleTimeString;
      win.Date.prototype.toLocaleTimeString = function () {
        return toLocaleTimeString.call(this, lang, { hour: '2-digit', minute: '2-digit' });
      };
    }

    var open = window.open;
    window.open = function (url, name) {
      var win = open.apply(window, arguments);
      // The plugin writes the page right after opening it, in the same task.
      if (win && name === NOTES_WINDOW)
        Promise.resolve().then(function () {
          dress(win);
        });
      return win;
    };
    return {};
  });
})();
