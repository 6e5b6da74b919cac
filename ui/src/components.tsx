import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatBytes, progressDetail, progressPercent, stateTone } from './format';
import { href } from './route';
import type { AppError, FolderView, Page, Progress } from './types';

/** An error from the app, shown where the action was: its message only. */
export function ErrorText({ error, testId }: { error: AppError | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" data-testid={testId} data-code={error.code}>
      {error.message}
    </p>
  );
}

/** The message next to a form field; `key` is the field's key. */
export function FieldError({ name, message }: { name: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`err-${name}`} data-testid={`field-error-${name}`} role="alert">
      {message}
    </p>
  );
}

export function Notice({ children, tone = 'ok' }: { children: ComponentChildren; tone?: 'ok' | 'info' }) {
  return (
    <p class={`notice notice-${tone}`} role="status">
      {children}
    </p>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1 tabIndex={-1} data-page-title>
        {title}
      </h1>
      {children}
    </header>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted loading" role="status">
      Loading {what}…
    </p>
  );
}

export function StateDot({ folder }: { folder: FolderView }) {
  return <span class={`dot tone-${stateTone(folder)}`} aria-hidden="true" />;
}

export function ProgressBar({ progress, id }: { progress: Progress; id: string }) {
  const pct = progressPercent(progress);
  return (
    <div class="progress" data-testid={`progress-${id}`}>
      <div
        class="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-label="Sync progress"
      >
        <span style={{ width: `${pct}%` }} />
      </div>
      <p class="progress-detail">{progressDetail(progress)}</p>
      {progress.current.length > 0 && (
        <p class="progress-current muted" title={progress.current.join('\n')}>
          Now: {progress.current.slice(0, 2).join(', ')}
          {progress.current.length > 2 ? ` and ${progress.current.length - 2} more` : ''}
        </p>
      )}
    </div>
  );
}

export function Size({ bytes }: { bytes: number }) {
  return <span title={`${bytes.toLocaleString('en-US')} bytes`}>{formatBytes(bytes)}</span>;
}

/** Tabs to switch the folder a per-folder page shows. */
export function FolderTabs({
  page,
  folders,
  current,
  count,
}: {
  page: Page;
  folders: FolderView[];
  current: string | undefined;
  count?: (f: FolderView) => number;
}) {
  if (folders.length < 2) return null;
  return (
    <nav class="folder-tabs" aria-label="Folders">
      {folders.map((f) => {
        const n = count?.(f) ?? 0;
        return (
          <a
            key={f.id}
            href={href(page, f.id)}
            class={f.id === current ? 'tab active' : 'tab'}
            aria-current={f.id === current ? 'page' : undefined}
            data-testid={`folder-tab-${f.id}`}
          >
            {f.id}
            {n > 0 && <span class="count">{n}</span>}
          </a>
        );
      })}
    </nav>
  );
}

/**
 * A modal confirmation. Focus goes to the safe button; Escape and the
 * backdrop cancel; Tab stays inside.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
  testId,
}: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const cancelBtn = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    cancelBtn.current?.focus();
    return () => before?.focus?.();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    } else if (e.key === 'Tab' && box.current) {
      const items = Array.from(box.current.querySelectorAll<HTMLElement>('button, input, a[href], textarea, select')).filter(
        (el) => !(el as HTMLButtonElement).disabled,
      );
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div class="backdrop" onClick={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="dialog-title"
        ref={box}
        onKeyDown={onKeyDown}
        data-testid={testId}
      >
        <h2 id="dialog-title">{title}</h2>
        <div class="dialog-body">{children}</div>
        <div class="actions end">
          <button type="button" ref={cancelBtn} onClick={onCancel} disabled={busy}>
            {cancelLabel}
          </button>
          <button
            type="button"
            class={danger ? 'danger' : 'primary'}
            onClick={onConfirm}
            disabled={busy}
            data-testid={testId ? `${testId}-confirm` : undefined}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
