import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { errorText, useAgents, useRepoInspect, useSessionTypes } from '../../lib/queries';
import { openTab, setUi, useUi } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { useCreateSessions } from './create-sessions';
import { StepRepository } from './StepRepository';
import { StepResources } from './StepResources';
import { StepReview } from './StepReview';
import { StepSession } from './StepSession';
import { StepWorkspace } from './StepWorkspace';
import { useDebounced } from './use-debounced';
import { useSessionPlans } from './use-session-plans';
import { newDraft, totalCopies, wizardSteps, type WizardDraft } from './wizard-draft';
import {
  fieldOfError,
  fieldOrder,
  stepOf,
  stepProblem,
  validateDraft,
  type WizardField,
  type WizardProblems,
} from './wizard-validation';

const close = () => setUi({ wizard: { open: false, repoPath: null } });

/** What each step needs to show a field's problem: the problems, and whether to show it yet. */
export interface FieldState {
  problems: WizardProblems;
  /** A field's problem shows once it was edited, or once the user tried to leave its step. */
  shown(field: WizardField): string | undefined;
  touch(field: WizardField): void;
}

/**
 * The five-step session creation wizard. Every field is checked as it is typed (the contract's
 * schemas, git's branch rules, and the host's own plan), the review lists exactly what Create will
 * apply, and Create is only possible when nothing is wrong. Enter goes on, Esc closes.
 */
export function WizardDialog() {
  const initialRepo = useUi((s) => s.wizard.repoPath);
  const [draft, setDraft] = useState<WizardDraft>(() => newDraft(initialRepo));
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<ReadonlySet<WizardField>>(() => new Set());
  const [revealed, setRevealed] = useState(-1);
  const repoPath = useDebounced(draft.repoPath.trim(), 250);
  const inspect = useRepoInspect(repoPath);
  const agents = useAgents().data ?? [];
  const types = useSessionTypes().data ?? [];
  const checking = draft.repoPath.trim() !== repoPath || inspect.isFetching;
  const { create, results, progress, running, reset } = useCreateSessions();

  const update = (patch: Partial<WizardDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    // A changed draft makes earlier create errors stale: they go, successes stay.
    reset();
  };
  // Each step starts with focus on its first field (the review: on Create), so Enter and typing
  // continue without the mouse.
  const body = useRef<HTMLDivElement>(null);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    const root = body.current;
    const target =
      step === wizardSteps.length - 1
        ? root?.querySelector<HTMLElement>('[data-testid="wizard-step-review"]')
        : root?.querySelector<HTMLElement>(
            '.wizard-step input:not([type="radio"]), .wizard-step select, .wizard-step textarea',
          );
    target?.focus();
  }, [step]);
  const touch = (f: WizardField) => setTouched((t) => (t.has(f) ? t : new Set(t).add(f)));

  // A folder dropped while the wizard is open replaces the chosen repository.
  useEffect(() => {
    if (initialRepo) {
      setDraft((d) => ({ ...d, repoPath: initialRepo }));
      setStep(0);
    }
  }, [initialRepo]);

  // Suggest a name from the repository once it is known.
  const repoName = inspect.data?.name;
  useEffect(() => {
    if (repoName) setDraft((d) => (d.name ? d : { ...d, name: `${repoName}-task` }));
  }, [repoName]);

  const base = {
    repo: checking ? undefined : inspect.data,
    repoError: !checking && inspect.isError ? errorText(inspect.error) : null,
    agents,
    types,
  };
  const local = validateDraft(draft, { ...base, planProblems: {} });
  const repoOk = !checking && inspect.isSuccess;
  const debounced = useDebounced(draft, 300);
  const plans = useSessionPlans(debounced, repoOk && Object.keys(local).length === 0 && debounced === draft);
  const planProblems = useMemo(() => {
    const out: WizardProblems = {};
    for (const p of plans) {
      if (!p.error) continue;
      const field = fieldOfError(p.error.code, draft, p.row.key);
      if (field && !out[field]) out[field] = p.error.message;
    }
    return out;
  }, [plans, draft]);
  const problems = validateDraft(draft, { ...base, planProblems });
  const fields: FieldState = {
    problems,
    shown: (f) => (touched.has(f) || stepOf(f) <= revealed ? problems[f] : undefined),
    touch,
  };

  const problem = step < 4 ? stepProblem(step, draft, problems) : null;
  const last = step === wizardSteps.length - 1;
  const firstBad = fieldOrder(draft).find((f) => problems[f]);
  const failedRows = draft.rows.filter((r) => results[r.key]?.state !== 'ok');
  const anyDone = draft.rows.some((r) => results[r.key]?.state === 'ok');
  const planReady = plans.every((p) => p.plans !== null);
  // The repository's own scripts run only once trusted (or skipped): the review shows them with Trust.
  const untrustedScripts = plans.some((p) => p.plans?.some((x) => x.repoScripts.some((r) => !r.trusted)));
  const canCreate = !running && !firstBad && planReady && repoOk && !untrustedScripts;

  const submit = async () => {
    if (!canCreate) return;
    const sessions = await create(draft, failedRows);
    if (sessions) {
      const firstRun = draft.rows.flatMap((r) => results[r.key]?.sessions ?? []);
      const all = [...firstRun, ...sessions];
      if (!draft.background) all.forEach((s) => openTab(s.id));
      close();
    }
  };

  const next = () => {
    if (problem) {
      setRevealed((r) => Math.max(r, step));
      return;
    }
    if (last) void submit();
    else setStep(step + 1);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (e.key !== 'Enter' || e.shiftKey || t.tagName === 'TEXTAREA' || t.tagName === 'BUTTON' || t.tagName === 'SELECT')
      return;
    e.preventDefault();
    next();
  };

  const createLabel = running
    ? 'Creating…'
    : anyDone
      ? `Retry ${failedRows.length} failed`
      : `Create ${totalCopies(draft)} session${totalCopies(draft) === 1 ? '' : 's'}`;
  const footer = (
    <>
      {(problem || (last && firstBad)) && (
        <span className="wizard-problem" role="status" data-testid="wizard-problem">
          {last && firstBad ? `Step ${stepOf(firstBad) + 1}: ${problems[firstBad]}` : `${problem}`}
        </span>
      )}
      <span className="spacer" />
      {step > 0 && (
        <button className="btn" onClick={() => setStep(step - 1)} disabled={running} data-testid="wizard-back">
          Back
        </button>
      )}
      {last ? (
        <button className="btn primary" data-testid="wizard-create" disabled={!canCreate} onClick={() => void submit()}>
          {createLabel}
        </button>
      ) : (
        <button className="btn primary" data-testid="wizard-next" aria-disabled={Boolean(problem)} onClick={next}>
          Next
        </button>
      )}
    </>
  );

  return (
    <Modal title="New session" onClose={close} wide testId="wizard" footer={footer}>
      <div onKeyDown={onKeyDown} ref={body}>
        <ol className="wizard-steps">
          {wizardSteps.map((name, i) => {
            const reachable = i <= step || [...Array(i).keys()].every((j) => stepProblem(j, draft, problems) === null);
            const bad = i < 4 && stepProblem(i, draft, problems) !== null && (i < step || i <= revealed);
            return (
              <li key={name} className={i === step ? 'on' : i < step ? 'done' : ''}>
                <button
                  disabled={!reachable || running}
                  onClick={() => setStep(i)}
                  data-testid={`wizard-step-${i + 1}`}
                  aria-current={i === step ? 'step' : undefined}
                  className={bad ? 'has-problem' : undefined}
                >
                  <span className="step-num">{bad ? '!' : i < step ? '✓' : i + 1}</span>
                  {name}
                </button>
              </li>
            );
          })}
        </ol>
        {step === 0 && (
          <StepRepository draft={draft} update={update} inspect={inspect} checking={checking} fields={fields} />
        )}
        {step === 1 && <StepSession draft={draft} update={update} fields={fields} plans={plans} />}
        {step === 2 && (
          <StepWorkspace draft={draft} update={update} repo={inspect.data} fields={fields} plans={plans} />
        )}
        {step === 3 && <StepResources draft={draft} update={update} fields={fields} />}
        {step === 4 && (
          <StepReview
            draft={draft}
            plans={plans}
            problems={problems}
            results={results}
            progress={progress}
            goTo={setStep}
            update={update}
          />
        )}
      </div>
    </Modal>
  );
}
