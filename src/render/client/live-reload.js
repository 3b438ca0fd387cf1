/*
 * Live reload controller (dev server only): listens to the server's event stream and reloads
 * the page when this deck was rebuilt. Reveal keeps the slide in the URL hash, so the reload
 * lands on the same slide.
 */
(function () {
  'use strict';

  Labdeck.register('liveReload', function (context) {
    var url = context.config.liveReload;
    if (!url || !window.EventSource) return {};
    var page = window.location.pathname.split('/').pop() || 'index.html';
    var source = new EventSource(url);
    source.addEventListener('rebuilt', function (event) {
      var data = JSON.parse(event.data);
      if (!data.pages || data.pages.indexOf(page) !== -1) window.location.reload();
    });
    source.addEventListener('failed', function () {
      var toast = context.labdeck.controllers.toast;
      if (toast) toast.show(context.labdeck.t('liveReloadFailed'), 6000);
    });
    return { source: source };
  });
})();
