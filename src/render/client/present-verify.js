/*
 * Verification marks controller. The build marks each lab slide with the verdict of its last
 * verification (`data-verified`, a discreet `.ld-verified` mark, a hidden `.ld-verify-note`;
 * src/render/verification.ts). Here: the audience sees the mark unless the URL says
 * `?verify=0`; the presenter's frames (the speaker view loads the deck with `?receiver`) always
 * show it, with its detail (the failing step and error, or the cluster); and each note — the verdict and, for a failure, the screen when the step failed —
 * goes at the top of its slide's speaker notes, where the speaker view reads them.
 */
(function () {
  'use strict';

  Labdeck.register('verifyMarks', function (context) {
    var deck = context.deck;
    var params = new URLSearchParams(window.location.search);
    var presenter = params.has('receiver');
    var off = params.get('verify') === '0' || params.get('verify') === 'false';
    var shown = presenter || !off;
    document.documentElement.classList.toggle('ld-verify-off', !shown);
    document.documentElement.classList.toggle('ld-verify-presenter', presenter);

    // Handouts print the author's notes only, as the pacing lines do.
    if (!deck.isPrintView()) {
      var notes = deck.getSlidesElement().querySelectorAll('section[data-verified] > .ld-verify-note');
      Array.prototype.forEach.call(notes, function (note) {
        var section = note.parentNode;
        var aside = section.querySelector(':scope > aside.notes');
        if (!aside) {
          aside = document.createElement('aside');
          aside.className = 'notes';
          section.appendChild(aside);
        }
        note.hidden = false;
        aside.insertBefore(note, aside.firstChild);
      });
    }
    return {
      isShown: function () {
        return shown;
      },
    };
  });
})();
