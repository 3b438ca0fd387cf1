/*
 * Speaker view frames. Reveal's speaker window loads the deck twice (`?receiver`): the current
 * slide and, with `controls=false`, the upcoming one, and keeps them in step by posting them the
 * main window's `getState()`. Three gaps are closed here:
 * - the state says where by position only, and the frames were loaded before the presenter
 *   toggled extra details: the main window adds the slide id and the extras flag to its state,
 *   and the frames apply the flag and find the slide by id;
 * - the current frame posts its moves to the speaker window (that is how the presenter drives the
 *   main window from there), with its state by position, and the speaker window sends a move
 *   whose state differs from the main window's last one to the main window, half a second
 *   later. The frame's start on the slide of its URL, and each state the speaker window sent it,
 *   moved the frame too, and went back to the main window, pulling it to where it was when the
 *   presenter had moved on meanwhile. A frame posts no move until this controller runs, nor
 *   while it applies a state it was sent;
 * - a frame starts before its deck is whole (slides past the opening ones are added after the
 *   first paint) and before this controller maps states by slide id: a state the speaker window
 *   posts in that time would land on a partial deck, by position, extras ignored: the last one is
 *   kept and applied (with the `next` that followed it, in the upcoming frame) once the deck is
 *   whole and this controller runs. When no state came yet, the upcoming frame, which starts on
 *   the current slide (its URL hash), steps forward itself.
 */
(function () {
  'use strict';
  var frame = /[?&]receiver(&|=|$)/.test(window.location.search);
  // A frame of the speaker view shows the slide alone: no banner, no language button (theme.css).
  // Set as the page is parsed, before Reveal measures the space it has.
  if (frame) document.documentElement.classList.add('ld-speaker-frame');
  // Read before Reveal starts: it rewrites the hash to the slide's name.
  var initialHash = window.location.hash;
  // The speaker window's last state before this controller ran, and whether `next` followed it.
  var early = null;
  var started = false;
  // Moves the frame posts to the speaker window while muted are dropped; the handshake (`ready`)
  // and replies to calls still go. `parent` is replaceable: only this frame's scripts see this one.
  var muted = true;
  var MOVES = ['slidechanged', 'fragmentshown', 'fragmenthidden', 'paused', 'resumed', 'previewiframe', 'previewimage', 'previewvideo', 'closeoverlay'];
  if (frame && window.parent !== window) {
    var speaker = window.parent;
    window.parent = {
      postMessage: function (message, target) {
        if (muted && typeof message === 'string' && MOVES.indexOf(eventName(message)) !== -1) return;
        speaker.postMessage(message, target);
      },
    };
  }
  function eventName(message) {
    try {
      var data = JSON.parse(message);
      return data && data.namespace === 'reveal' ? data.eventName : null;
    } catch (e) {
      return null;
    }
  }
  // Capture phase: before Reveal's own listener, which would apply the state to the partial deck
  // by position and post the move back to the speaker window (an echo, as above): the frame stays
  // where its URL put it until the state is applied whole, muted.
  if (frame)
    window.addEventListener(
      'message',
      function (event) {
        if (started || typeof event.data !== 'string') return;
        try {
          var data = JSON.parse(event.data);
          if (data.method === 'setState') early = { state: data.args && data.args[0], next: false };
          else if (data.method === 'next' && early) early.next = true;
          else return;
        } catch (e) {
          return; // Not a Reveal message.
        }
        event.stopImmediatePropagation();
      },
      true,
    );

  Labdeck.register('speakerFrames', function (context) {
    var deck = context.deck;
    var labdeck = context.labdeck;
    var params = new URLSearchParams(window.location.search);
    var extra = function () {
      return labdeck.controllers.extraDetails || null;
    };

    // The state the notes plugin sends the speaker window, and follower screens get (present-sync).
    var getState = deck.getState;
    deck.getState = function () {
      var state = getState.apply(deck, arguments);
      var current = deck.getCurrentSlide();
      var x = extra();
      state.labdeck = { slide: current && current.getAttribute('data-slide-id'), extra: x && x.isShown ? x.isShown() : true };
      return state;
    };
    if (!frame) return {};

    var setState = deck.setState;
    deck.setState = function (state) {
      var was = muted;
      muted = true;
      try {
        var own = state && state.labdeck;
        if (own) {
          var x = extra();
          if (x && x.setShown) x.setShown(own.extra, { quiet: true });
          var slides = deck.getSlides();
          for (var i = 0; i < slides.length; i++) if (slides[i].getAttribute('data-slide-id') === own.slide) state = Object.assign({}, state, { indexh: i });
        }
        return setState.call(deck, state);
      } finally {
        muted = was;
      }
    };

    started = true;
    if (early && early.state) {
      // setState places the frame absolutely: applying it again, then `next`, is where it should be.
      deck.setState(early.state);
      if (early.next) deck.next();
    } else if (params.get('controls') === 'false') {
      var start = /^#\/(\d+)/.exec(initialHash);
      var indices = deck.getIndices();
      if (start && indices.h === Number(start[1]) && (indices.f === undefined || indices.f < 0)) deck.next();
    }
    // From here on, a move of the frame is the presenter's (keys or clicks in the speaker window).
    muted = false;
    return {};
  });
})();
