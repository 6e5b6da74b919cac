// Inline validation of the setup and settings forms: a map from a field's
// key to the message shown next to it. An empty map means "go ahead".

import type { FieldInfo, FolderSettings, ProviderInfo } from './types';

export type FieldErrors = Record<string, string>;

/** Folder ids: what the config and the command line accept as a name. */
export const ID_PATTERN = /^[a-z0-9-]{1,32}$/;

export function isValidUrl(value: string): boolean {
  try {
    const u = new URL(value.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A folder id made from a local folder's name: "My Notes" → "my-notes". */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 28)
    .replace(/-+$/, '');
  return s || 'folder';
}

/** `base`, or `base-2`, `base-3`… whichever is not taken. */
export function uniqueId(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`;
    if (!taken.includes(id)) return id;
  }
}

export function validateField(field: FieldInfo, raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  if (field.kind === 'checkbox') return undefined;
  if (value === '') return field.required ? `Enter the ${field.label.toLowerCase()}.` : undefined;
  if (field.kind === 'url' && !isValidUrl(value)) return 'Enter a full address that starts with https://';
  if (field.kind === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) return `${field.label} must be a number.`;
  if (field.kind === 'select' && field.options && field.options.length > 0 && !field.options.includes(value)) {
    return `Choose one of the listed ${field.label.toLowerCase()} options.`;
  }
  return undefined;
}

export function validateProviderFields(provider: ProviderInfo, fields: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of provider.fields) {
    const msg = validateField(f, fields[f.key]);
    if (msg) errors[f.key] = msg;
  }
  return errors;
}

export function validateLocal(id: string, localPath: string, takenIds: string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (localPath.trim() === '') errors.localPath = 'Choose the folder on this computer to sync.';
  const trimmedId = id.trim();
  // An empty name follows from an empty folder (the name is made from it).
  if (trimmedId === '' && errors.localPath) return errors;
  if (trimmedId === '') errors.id = 'Give this folder a short name.';
  else if (!ID_PATTERN.test(trimmedId)) errors.id = 'Use 1 to 32 lowercase letters, digits or dashes (no spaces).';
  else if (takenIds.includes(trimmedId)) errors.id = `A folder named "${trimmedId}" is already synced. Choose another name.`;
  return errors;
}

export function validateRemotePath(remotePath: string): FieldErrors {
  return remotePath.trim() === '' ? { remotePath: 'Choose or type the cloud folder to sync with.' } : {};
}

export function validateInterval(value: number): FieldErrors {
  return Number.isInteger(value) && value >= 0 ? {} : { interval: 'Choose how often to sync.' };
}

export function validateSettings(s: FolderSettings): FieldErrors {
  const errors: FieldErrors = { ...validateInterval(s.interval) };
  if (!Number.isInteger(s.maxDeletePercent) || s.maxDeletePercent < 1 || s.maxDeletePercent > 100) {
    errors.maxDeletePercent = 'Enter a whole number from 1 to 100.';
  }
  if (!Number.isInteger(s.keepVersionsDays) || s.keepVersionsDays < 0) {
    errors.keepVersionsDays = 'Enter a whole number of days (0 keeps none).';
  }
  return errors;
}

/** The textarea's lines as exclude patterns: trimmed, blanks dropped. */
export function parseExcludes(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export const DEFAULT_EXCLUDES = ['.git/**', 'node_modules/**', '.env*', '*.log'];

export const hasErrors = (e: FieldErrors) => Object.keys(e).length > 0;
