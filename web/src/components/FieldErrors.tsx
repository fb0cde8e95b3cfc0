import { useEffect, useId, useState, type ReactNode } from 'react';

export function FieldErrors({ messages, id }: { messages: readonly string[] | undefined; id?: string }) {
  if (!messages || messages.length === 0) return null;
  return (
    <ul className="field-errors" role="alert" id={id}>
      {messages.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}

export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
  className: string;
}

/**
 * A labelled control with a hint and its errors below. The label names the
 * control and nothing else; hint and errors describe it (aria-describedby).
 */
export function Field({
  label,
  hint,
  errors,
  className = '',
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[] | undefined;
  className?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const invalid = !!errors && errors.length > 0;
  const described = [hint ? `${id}-hint` : '', invalid ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, className: invalid ? 'invalid' : '', ...(described ? { 'aria-describedby': described } : {}), ...(invalid ? { 'aria-invalid': true as const } : {}) })}
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <FieldErrors messages={errors} id={`${id}-err`} />
    </div>
  );
}

/** A short-lived "Saved ✓" after a save, so a click visibly did something. */
export function useFlash(ms = 2500): [string | null, (text: string) => void] {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) return;
    const t = setTimeout(() => setText(null), ms);
    return () => clearTimeout(t);
  }, [text, ms]);
  return [text, setText];
}
