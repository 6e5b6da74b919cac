import { render } from '@testing-library/preact';
import { App } from '../src/App';

/** Renders the whole app at a hash route, as the window shows it. */
export function renderAt(hash: string) {
  window.location.hash = hash;
  return render(<App />);
}
