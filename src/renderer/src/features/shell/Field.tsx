import type { ReactNode } from 'react';

/** What a control needs to be tied to its label, hint and problem for screen readers. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

interface Props {
  id: string;
  label: ReactNode;
  /** Shown under the control in plain words as soon as the value is wrong; null when it is fine. */
  problem?: string | null;
  hint?: ReactNode;
  className?: string;
  testId?: string;
  children(control: FieldControlProps): ReactNode;
}

/** A labelled form field whose problem is shown next to it while typing, not at submit. */
export function Field({ id, label, problem, hint, className, testId, children }: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const problemId = problem ? `${id}-problem` : undefined;
  const describedBy = [problemId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy })}
      {problem && (
        <span
          className="field-problem"
          id={problemId}
          role="alert"
          data-testid={testId ? `${testId}-problem` : undefined}
        >
          {problem}
        </span>
      )}
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}
