/** Entry point: pick the transport for where the window runs, render the app. */
import { render } from 'preact';
import { App } from './app/App';
import { createTransport } from './lib/api';
import './styles/app.css';

const transport = createTransport({
  bridge: window.gemgate,
  // Called as a plain function: window.fetch throws "Illegal invocation" when called as a method.
  fetch: (url, init) => fetch(url, init),
  storage: sessionStorage,
  pathname: location.pathname,
  openEventSource(url, on) {
    const source = new EventSource(url);
    source.onopen = () => on.open();
    source.onmessage = (event: MessageEvent<string>) => on.message(event.data);
    source.onerror = () => on.error(source.readyState === EventSource.CLOSED);
    return source;
  },
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
});

const root = document.getElementById('app');
if (root) render(<App transport={transport} />, root);
