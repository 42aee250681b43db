import { useEffect, useState, type KeyboardEvent } from 'react';
import { useRepoInspect } from '../../lib/queries';
import { openTab, setUi, useUi } from '../../lib/ui-store';
import { Modal } from '../shell/Modal';
import { useCreateSessions } from './create-sessions';
import { StepRepository } from './StepRepository';
import { StepResources } from './StepResources';
import { StepReview } from './StepReview';
import { StepSession } from './StepSession';
import { StepWorkspace } from './StepWorkspace';
import { useDebounced } from './use-debounced';
import { newDraft, stepProblem, totalCopies, wizardSteps, type WizardDraft } from './wizard-draft';

const close = () => setUi({ wizard: { open: false, repoPath: null } });

/** The five-step session creation wizard. Enter goes on, Esc closes. */
export function WizardDialog() {
  const initialRepo = useUi((s) => s.wizard.repoPath);
  const [draft, setDraft] = useState<WizardDraft>(() => newDraft(initialRepo));
  const [step, setStep] = useState(0);
  const update = (patch: Partial<WizardDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const repoPath = useDebounced(draft.repoPath.trim(), 250);
  const inspect = useRepoInspect(repoPath);
  const checking = draft.repoPath.trim() !== repoPath || inspect.isFetching;
  const repoOk = !checking && inspect.isSuccess;
  const { create, results, progress, running } = useCreateSessions();

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

  const problem = stepProblem(step, draft, repoOk);
  const last = step === wizardSteps.length - 1;
  const failedRows = draft.rows.filter((r) => results[r.key]?.state !== 'ok');
  const anyDone = draft.rows.some((r) => results[r.key]?.state === 'ok');

  const submit = async () => {
    if (running) return;
    const sessions = await create(draft, failedRows);
    if (sessions) {
      const firstRun = draft.rows.flatMap((r) => results[r.key]?.sessions ?? []);
      const all = [...firstRun, ...sessions];
      if (!draft.background) all.forEach((s) => openTab(s.id));
      close();
    }
  };

  const next = () => {
    if (problem) return;
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

  const firstProblemStep = [0, 1, 2].find((i) => stepProblem(i, draft, repoOk) !== null);
  const footer = (
    <>
      {problem && <span className="wizard-problem">{problem}</span>}
      <span className="spacer" />
      {step > 0 && (
        <button className="btn" onClick={() => setStep(step - 1)} disabled={running} data-testid="wizard-back">
          Back
        </button>
      )}
      {last ? (
        <button
          className="btn primary"
          data-testid="wizard-create"
          disabled={running || firstProblemStep !== undefined}
          onClick={() => void submit()}
        >
          {running
            ? 'Creating…'
            : anyDone
              ? `Retry ${failedRows.length} failed`
              : `Create ${totalCopies(draft)} session${totalCopies(draft) === 1 ? '' : 's'}`}
        </button>
      ) : (
        <button className="btn primary" data-testid="wizard-next" disabled={Boolean(problem)} onClick={next}>
          Next
        </button>
      )}
    </>
  );

  return (
    <Modal title="New session" onClose={close} wide testId="wizard" footer={footer}>
      <div onKeyDown={onKeyDown}>
        <ol className="wizard-steps">
          {wizardSteps.map((name, i) => {
            const reachable = i <= step || [...Array(i).keys()].every((j) => stepProblem(j, draft, repoOk) === null);
            return (
              <li key={name} className={i === step ? 'on' : i < step ? 'done' : ''}>
                <button
                  disabled={!reachable || running}
                  onClick={() => setStep(i)}
                  data-testid={`wizard-step-${i + 1}`}
                >
                  <span className="step-num">{i < step ? '✓' : i + 1}</span>
                  {name}
                </button>
              </li>
            );
          })}
        </ol>
        {step === 0 && <StepRepository draft={draft} update={update} inspect={inspect} checking={checking} />}
        {step === 1 && <StepSession draft={draft} update={update} />}
        {step === 2 && <StepWorkspace draft={draft} update={update} repo={inspect.data} />}
        {step === 3 && <StepResources draft={draft} update={update} />}
        {step === 4 && <StepReview draft={draft} results={results} progress={progress} goTo={setStep} />}
      </div>
    </Modal>
  );
}
