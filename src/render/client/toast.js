/*
 * Toast controller: a short message at the bottom of the screen. A page that navigates to
 * another deck can leave a message key in sessionStorage; the next page shows it in its language.
 */
(function () {
  'use strict';
  var PENDING = 'labdeck.toast';

  Labdeck.register('toast', function (context) {
    var element = document.createElement('div');
    element.className = 'ld-toast';
    element.setAttribute('role', 'status');
    element.hidden = true;
    document.body.appendChild(element);
    var timer;

    function show(message, ms) {
      element.textContent = message;
      element.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(function () {
        element.hidden = true;
      }, ms || 3500);
    }

    var pending = sessionStorage.getItem(PENDING);
    if (pending) {
      sessionStorage.removeItem(PENDING);
      show(context.labdeck.t(pending));
    }

    return {
      show: show,
      /** Show `key` (a UI string key) on the next page loaded in this tab. */
      showOnNextPage: function (key) {
        sessionStorage.setItem(PENDING, key);
      },
    };
  });
})();
