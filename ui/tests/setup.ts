import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
  window.location.hash = '';
  delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
});
