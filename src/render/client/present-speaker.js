/*
 * Speaker view frames: Reveal's speaker window loads the deck twice (`?receiver`), the current
 * slide and, with `controls=false`, the upcoming one, and posts them the presenter's state at
 * once. A frame still loading misses that first message, and the "next slide" preview then
 * shows the current slide until the presenter moves. The upcoming frame starts on the current
 * slide (its URL hash), so if nothing moved it yet, it steps forward itself.
 */
(function () {
  'use strict';
  // Read before Reveal starts: it rewrites the hash to the slide's name.
  var initialHash = window.location.hash;

  Labdeck.register('speakerFrames', function (context) {
    var params = new URLSearchParams(window.location.search);
    if (!params.has('receiver') || params.get('controls') !== 'false') return {};
    var deck = context.deck;
    var start = /^#\/(\d+)/.exec(initialHash);
    var indices = deck.getIndices();
    if (start && indices.h === Number(start[1]) && (indices.f === undefined || indices.f < 0)) deck.next();
    return {};
  });
})();
