// ntg serve's live reload, added to every page only while serving. It holds one
// Server-Sent Events stream to the server and is told the server's state: which build is
// served, what changed, and the last rebuild's errors. The page reloads when its own
// address changed, swaps its stylesheets when only they changed, and shows the errors over
// itself (without moving) until the save that fixes them. EventSource reconnects by itself
// when the server restarts. A state that does not say what changed (the first after
// connecting) is checked against the page's own entity tag, which the server wrote on this
// script's element, by asking for the page's head.
(() => {
  'use strict';
  const here = location.pathname.replace(/index\.html$/, '');
  const tag = document.currentScript?.dataset.tag ?? '';
  let shown = null;
  let overlay = null;

  const reloadIfStale = async () => {
    try {
      const head = await fetch(location.href, { method: 'HEAD', cache: 'no-store' });
      const now = (head.headers.get('ETag') ?? '').replaceAll('"', '');
      if (now !== tag) location.reload();
    } catch {
      // The server is away again: the next connection checks once more.
    }
  };

  const stylesheets = (build) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('ntg-live', build);
      link.href = url.href;
    }
  };

  const line = (tag, cls, text) => {
    const el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    return el;
  };

  const hide = () => {
    overlay?.remove();
    overlay = null;
  };

  const show = (diagnostics) => {
    hide();
    overlay = document.createElement('section');
    overlay.id = 'ntg-live-errors';
    overlay.setAttribute('role', 'alert');
    overlay.setAttribute('aria-labelledby', 'ntg-live-title');
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const title = line('h2', 'ntg-live-title',
      `ntg serve: the last save did not build (${errors} error${errors === 1 ? '' : 's'}). ` +
      'This page is the last good build.');
    title.id = 'ntg-live-title';
    const close = line('button', 'ntg-live-close', 'Hide');
    close.type = 'button';
    close.addEventListener('click', hide);
    const list = document.createElement('ol');
    for (const d of diagnostics) {
      const item = document.createElement('li');
      item.className = `ntg-live-${d.severity}`;
      const where = d.line === null ? d.file : `${d.file}:${d.line}:${d.column}`;
      item.append(line('code', 'ntg-live-where', where),
        line('span', 'ntg-live-severity', ` ${d.severity}: `),
        line('span', 'ntg-live-message', d.message));
      if (d.help) item.append(line('p', 'ntg-live-help', `help: ${d.help}`));
      list.append(item);
    }
    overlay.append(title, close, list);
    document.body.append(overlay);
  };

  const sheet = document.createElement('link');
  sheet.rel = 'stylesheet';
  sheet.href = '/__ntg/live.css';
  document.head.append(sheet);

  const events = new EventSource('/__ntg/events');
  events.addEventListener('state', (message) => {
    const state = JSON.parse(message.data);
    if (state.diagnostics.some((d) => d.severity === 'error')) {
      show(state.diagnostics);
    } else {
      hide();
    }
    const before = shown;
    shown = state.build;
    if (before === state.build) return;
    if (state.changed === null) {
      reloadIfStale();
    } else if (state.css) {
      stylesheets(state.build);
    } else if (state.changed.includes(here)) {
      location.reload();
    }
  });
})();
