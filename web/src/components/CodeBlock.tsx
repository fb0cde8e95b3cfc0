import { CopyButton } from './CopyButton.tsx';

/** Payloads and commands, always rendered as text. */
export function CodeBlock({ text, label, copy = true, maxHeight }: { text: string; label?: string; copy?: boolean; maxHeight?: number }) {
  return (
    <div className="code-block">
      {copy ? (
        <div className="code-bar">
          <span>{label ?? ''}</span>
          <CopyButton text={text} label={label ? `Copy ${label}` : 'Copy'} className="code-copy" />
        </div>
      ) : null}
      <pre aria-label={label} style={maxHeight ? { maxHeight } : undefined} className={copy ? 'with-bar' : ''}>
        {text}
      </pre>
    </div>
  );
}
