/*
 * Screen sync controller (pages served by `labdeck serve`): the page opened with `?present`
 * sends where it is (slide, step, overview, pause, extra details) to the server; pages opened
 * with `?follow` apply it. The server's tokens arrive once as `?token=` and live on as a cookie
 * (the server cleans the address bar); a token still in the URL is a wrong one, sent to be refused.
 * Frames of Reveal's speaker view never publish. A follower is the presenter's slide on another
 * screen: its own keys, arrows and touch do not move it (F for full screen still works), and if
 * anything moves it anyway it goes back to the presenter's slide.
 */
(function () {
  'use strict';

  Labdeck.register('sync', function (context) {
    var params = new URLSearchParams(window.location.search);
    var role = params.has('follow') ? 'follow' : params.has('present') ? 'present' : null;
    if (!role || !/^https?:$/.test(window.location.protocol) || params.has('receiver') || window.parent !== window) return {};
    var deck = context.deck;
    var labdeck = context.labdeck;
    var strings = (context.config.present && context.config.present.strings) || {};
    var token = params.get('token') || '';
    var base = (window.location.protocol === 'https:' ? 'wss://' : 'ws://') + window.location.host + '/labdeck-sync';
    var socket = null;
    var applying = false;
    var refused = false;
    var status = { connected: false, received: 0, role: role };
    document.documentElement.dataset.labdeckSync = role;

    function toast(key) {
      if (labdeck.controllers.toast && strings[key]) labdeck.controllers.toast.show(strings[key], 4000);
    }
    function extra() {
      return labdeck.controllers.extraDetails || null;
    }
    function publish() {
      if (role !== 'present' || applying || !socket || socket.readyState !== 1) return;
      var x = extra();
      var current = deck.getCurrentSlide();
      socket.send(
        JSON.stringify({
          type: 'state',
          state: deck.getState(),
          slide: current && current.getAttribute('data-slide-id'),
          extra: x && x.isShown ? x.isShown() : true,
        }),
      );
    }
    var last = null;
    function apply(message) {
      if (message.type !== 'state') return;
      last = message;
      follow(message);
      status.received++;
      document.documentElement.dataset.labdeckSynced = String(status.received);
    }
    function follow(message) {
      applying = true;
      try {
        var x = extra();
        if (x && x.setShown && typeof message.extra === 'boolean') x.setShown(message.extra, { quiet: true });
        // By slide id, not index: a follower may show another subset (chapter view).
        var state = Object.assign({}, message.state);
        var slides = deck.getSlides();
        for (var i = 0; i < slides.length; i++) if (slides[i].getAttribute('data-slide-id') === message.slide) state.indexh = i;
        deck.setState(state);
      } finally {
        applying = false;
      }
    }
    function connect() {
      socket = new WebSocket(base + '?deck=' + encodeURIComponent(context.config.deck) + '&role=' + role + (token ? '&token=' + encodeURIComponent(token) : ''));
      var opened = false;
      socket.onopen = function () {
        opened = true;
        status.connected = true;
        document.documentElement.dataset.labdeckSyncConnected = 'true';
        if (role === 'follow') toast('syncFollowing');
        publish();
      };
      socket.onmessage = function (event) {
        if (role === 'follow') apply(JSON.parse(event.data));
      };
      socket.onclose = function () {
        status.connected = false;
        document.documentElement.dataset.labdeckSyncConnected = 'false';
        if (refused) return;
        // The upgrade is refused with 401 on a wrong token; ask the server which case this is.
        if (!opened) {
          fetch('/labdeck-sync/auth?role=' + role + (token ? '&token=' + encodeURIComponent(token) : '')).then(function (r) {
            if (r.status === 401) {
              refused = true;
              document.documentElement.dataset.labdeckSyncRefused = 'true';
              toast('syncRefused');
            } else setTimeout(connect, 1500);
          }, function () {
            setTimeout(connect, 1500);
          });
          return;
        }
        toast('syncLost');
        setTimeout(connect, 1500);
      };
    }

    ['slidechanged', 'fragmentshown', 'fragmenthidden', 'overviewshown', 'overviewhidden', 'paused', 'resumed'].forEach(function (name) {
      deck.on(name, publish);
    });
    if (role === 'follow') {
      deck.configure({
        controls: false,
        touch: false,
        keyboardCondition: function (event) {
          return event.keyCode === 70; // F: full screen
        },
      });
      // A move that did not come from the presenter (a link, the hash): back in step.
      deck.on('slidechanged', function () {
        if (!applying && last) follow(last);
      });
    }
    document.addEventListener('labdeck:extra', publish);
    connect();
    return { status: status };
  });
})();
