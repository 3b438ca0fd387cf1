/*
 * Pacing controller: gives each slide its planned time (`data-timing`, seconds), which Reveal's
 * speaker view (`S`) turns into a pacing indicator next to the elapsed time; adds each
 * chapter's estimated duration to the table of contents; and writes, at the top of each
 * slide's notes, the chapter's planned time and how much of it comes before this slide.
 * Estimates come from the build (src/shared/pacing.ts), never from the page's HTML.
 */
(function () {
  'use strict';

  Labdeck.register('pacing', function (context) {
    var present = context.config.present;
    if (!present) return {};
    var deck = context.deck;
    var strings = present.strings || {};
    var container = deck.getSlidesElement();
    // Every slide, those hidden now included: the build's model gives each its planned time.
    var sections = context.labdeck.sections.filter(function (s) {
      return s.hasAttribute('data-slide-id');
    });

    function fill(template, values) {
      return String(template || '').replace(/\{(\w+)\}/g, function (whole, name) {
        return name in values ? values[name] : whole;
      });
    }
    function format(minutes) {
      var m = Math.round(minutes);
      if (m < 60) return Math.max(1, m) + ' min';
      var r = Math.round(m / 5) * 5;
      return Math.floor(r / 60) + ' h ' + String(r % 60).padStart(2, '0');
    }
    function minutesOf(section) {
      return present.minutes[section.getAttribute('data-slide-id')] || 0;
    }
    function chapterOf(section) {
      var i = section.getAttribute('data-chapter');
      return i === null ? null : present.chapters[Number(i)] || null;
    }

    // Every slide has its time, stand-ins included; the speaker view shows its pacing timer only
    // when a default timing is configured, and none is left for it to apply.
    sections.forEach(function (s) {
      s.setAttribute('data-timing', String(Math.round(minutesOf(s) * 60)));
    });
    deck.configure({ defaultTiming: 0 });

    // Links are written percent-encoded (`#/toc-m%C3%A9tiers`), anchors as they are (`toc-métiers`).
    var tocLinks = Array.prototype.slice.call(container.querySelectorAll('section.toc a[href^="#/"]'));
    function decoded(href) {
      try {
        return decodeURIComponent(href.slice(2));
      } catch (e) {
        return href.slice(2);
      }
    }
    present.chapters.forEach(function (c) {
      tocLinks.forEach(function (a) {
        if (decoded(a.getAttribute('href')) !== c.anchor) return;
        var span = document.createElement('span');
        span.className = 'ld-duration';
        span.textContent = ' · ' + c.label;
        a.parentNode.insertBefore(span, a.nextSibling);
      });
    });

    present.parts.forEach(function (p) {
      var heading = container.querySelector('section.toc[id="' + p.anchor + '"] h2');
      if (!heading) return;
      var span = document.createElement('span');
      span.className = 'ld-duration';
      span.textContent = ' · ' + p.label;
      heading.appendChild(span);
    });

    // Notes lines follow the extra-details toggle: hidden extras take no time.
    function writeNotes() {
      var extra = context.labdeck.controllers.extraDetails;
      var extrasShown = !extra || !extra.isShown || extra.isShown();
      var before = 0;
      var chapter = null;
      sections.forEach(function (s) {
        var c = chapterOf(s);
        if (c !== chapter) {
          chapter = c;
          before = 0;
        }
        var counts = extrasShown || !s.classList.contains('extra-details');
        var notes = s.querySelector(':scope > aside.notes');
        if (!notes) {
          notes = document.createElement('aside');
          notes.className = 'notes';
          s.appendChild(notes);
        }
        var line = notes.querySelector('.ld-pacing-note');
        if (!line) {
          line = document.createElement('p');
          line.className = 'ld-pacing-note';
          notes.insertBefore(line, notes.firstChild);
        }
        line.textContent = c
          ? fill(strings.chapterPlan, { title: c.title, planned: format(extrasShown ? c.minutes : c.minutesCore), before: before < 0.5 ? '0 min' : format(before) })
          : fill(strings.deckPlan, { planned: present.total, core: present.totalCore });
        plannedBefore.set(s, before);
        if (counts) before += minutesOf(s);
      });
    }

    /*
     * Live chapter pace, in the current slide's notes (the speaker view reads them on every
     * move): time spent in this chapter against the time planned before this slide. Entering a
     * chapter anywhere but at its start counts as being on time there.
     */
    var plannedBefore = new WeakMap();
    var chapterStart = { chapter: null, at: 0 };
    function updatePace() {
      var s = deck.getCurrentSlide();
      var c = s && chapterOf(s);
      var notes = s && s.querySelector(':scope > aside.notes');
      if (!c || !notes) return;
      var planned = plannedBefore.get(s) || 0;
      var now = Date.now();
      if (chapterStart.chapter !== c) chapterStart = { chapter: c, at: now - planned * 60000 };
      var late = (now - chapterStart.at) / 60000 - planned;
      var live = notes.querySelector('.ld-pace-live');
      if (!live) {
        live = document.createElement('p');
        live.className = 'ld-pace-live';
        notes.insertBefore(live, notes.querySelector('.ld-pacing-note').nextSibling);
      }
      var n = Math.round(Math.abs(late));
      live.setAttribute('data-pace', n < 1 ? 'on-time' : late > 0 ? 'behind' : 'ahead');
      live.textContent = fill(strings[n < 1 ? 'paceOnTime' : late > 0 ? 'paceBehind' : 'paceAhead'], { n: n });
    }

    // Handouts print notes as written by the author: no pacing lines there.
    if (!deck.isPrintView()) {
      writeNotes();
      document.addEventListener('labdeck:extra', writeNotes);
      // Registered before the speaker view connects, so the notes it reads are already updated.
      deck.on('slidechanged', updatePace);
      updatePace();
    }
    return { minutesOf: minutesOf, chapterOf: chapterOf };
  });
})();
