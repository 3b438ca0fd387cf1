/*
 * Speaker view frames. Reveal's speaker window loads the deck twice (`?receiver`): the current
 * slide and, with `controls=false`, the upcoming one, and keeps them in step by posting them the
 * main window's `getState()`. Two gaps are closed here:
 * - the state says where by position only, and the frames were loaded before the presenter
 *   toggled extra details: the main window adds the slide id and the extras flag to its state,
 *   and the frames apply the flag and find the slide by id;
 * - a frame starts before its deck is whole (slides past the opening ones are added after the
 *   first paint) and before this controller maps states by slide id: a state the speaker window
 *   posts in that time lands on a partial deck, by position, extras ignored. The last one is kept
 *   and applied again (with the `next` that followed it, in the upcoming frame) once the deck is
 *   whole and this controller runs. When no state came yet, the upcoming frame, which starts on
 *   the current slide (its URL hash), steps forward itself.
 */
(function () {
  'use strict';
  // A frame of the speaker view shows the slide alone: no banner, no language button (theme.css).
  // Set as the page is parsed, before Reveal measures the space it has.
  if (/[?&]receiver(&|=|$)/.test(window.location.search)) document.documentElement.classList.add('ld-speaker-frame');
  // Read before Reveal starts: it rewrites the hash to the slide's name.
  var initialHash = window.location.hash;
  // The speaker window's last state before this controller ran, and whether `next` followed it.
  var early = null;
  var started = false;
  window.addEventListener('message', function (event) {
    if (started || typeof event.data !== 'string') return;
    try {
      var data = JSON.parse(event.data);
      if (data.method === 'setState') early = { state: data.args && data.args[0], next: false };
      else if (data.method === 'next' && early) early.next = true;
    } catch (e) {
      // Not a Reveal message.
    }
  });

  Labdeck.register('speakerFrames', function (context) {
    var deck = context.deck;
    var labdeck = context.labdeck;
    var params = new URLSearchParams(window.location.search);
    var extra = function () {
      return labdeck.controllers.extraDetails || null;
    };

    // In the frames too: the speaker window sends the current frame's state back to the main
    // window when it differs from the last one it got from there; without the same `labdeck`
    // part, every state the frame applied looked different and went back, late, pulling the main
    // window to where it was half a second before.
    var getState = deck.getState;
    deck.getState = function () {
      var state = getState.apply(deck, arguments);
      var current = deck.getCurrentSlide();
      var x = extra();
      state.labdeck = { slide: current && current.getAttribute('data-slide-id'), extra: x && x.isShown ? x.isShown() : true };
      return state;
    };
    if (!params.has('receiver')) return {};

    var setState = deck.setState;
    deck.setState = function (state) {
      var own = state && state.labdeck;
      if (own) {
        var x = extra();
        if (x && x.setShown) x.setShown(own.extra, { quiet: true });
        var slides = deck.getSlides();
        for (var i = 0; i < slides.length; i++) if (slides[i].getAttribute('data-slide-id') === own.slide) state = Object.assign({}, state, { indexh: i });
      }
      return setState.call(deck, state);
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
    return {};
  });
})();
