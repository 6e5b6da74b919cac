import { render } from 'preact';
import { App } from './App';
import './styles.css';

async function start() {
  // The fake app of dev-mock/ exists only in `vite` (dev) and in builds
  // made with `--mode mock`, and only runs with ?mock in the address; the
  // production build does not contain it.
  if (import.meta.env.DEV || import.meta.env.MODE === 'mock') {
    const params = new URLSearchParams(window.location.search);
    if (params.has('mock')) {
      const { installMock } = await import('./dev-mock');
      installMock(params.get('mock') ?? '');
    }
  }
  render(<App />, document.getElementById('app')!);
}

void start();
