import { useState } from 'react';
import type { Session } from '../../../../shared/domain';
import { limitsSchema, prioritySchema, sessionNameSchema } from '../../../../shared/domain';
import { isRunningStatus } from '../../../../shared/session-state';
import { firstProblem, parseNumberField, problemOf, type FieldProblems } from '../../lib/field-problems';
import { errorText, useRequest, useSession } from '../../lib/queries';
import { useUi } from '../../lib/ui-store';
import { Field } from '../shell/Field';
import { Modal } from '../shell/Modal';

type FieldName = 'name' | 'priority' | 'memoryMb' | 'runtimeMin' | 'commandTimeoutSec';
const order: FieldName[] = ['name', 'priority', 'memoryMb', 'runtimeMin', 'commandTimeoutSec'];

const text = (n: number | null, div = 1) => (n === null ? '' : String(Math.round((n / div) * 100) / 100));

/** Rename a session and change its priority and limits — also while its program runs. */
export function SessionEditDialog({ onClose }: { onClose(): void }) {
  const id = useUi((s) => s.dialogSessionId);
  const session = useSession(id);
  if (!session) return null;
  return <EditForm key={session.id} session={session} onClose={onClose} />;
}

function EditForm({ session: s, onClose }: { session: Session; onClose(): void }) {
  const focus = useUi((u) => u.dialogFocus);
  const update = useRequest('sessions.update');
  const [name, setName] = useState(s.name);
  const [priority, setPriority] = useState(String(s.priority));
  const [memoryMb, setMemoryMb] = useState(text(s.limits.memoryMb));
  const [runtimeMin, setRuntimeMin] = useState(text(s.limits.runtimeSec, 60));
  const [timeoutSec, setTimeoutSec] = useState(text(s.limits.commandTimeoutSec));

  const mem = parseNumberField(memoryMb, 'the memory limit');
  const run = parseNumberField(runtimeMin, 'the time limit');
  const cmd = parseNumberField(timeoutSec, 'the timeout');
  const prio = parseNumberField(priority, 'the priority');
  const runtimeSec = run.value === null ? null : Math.round(run.value * 60);
  const problems: FieldProblems<FieldName> = {
    name: problemOf(sessionNameSchema, name) ?? undefined,
    priority:
      prio.problem ??
      (prio.value === null ? 'Give a priority from 1 to 10.' : problemOf(prioritySchema, prio.value)) ??
      undefined,
    memoryMb: mem.problem ?? problemOf(limitsSchema.shape.memoryMb, mem.value) ?? undefined,
    runtimeMin: run.problem ?? problemOf(limitsSchema.shape.runtimeSec, runtimeSec) ?? undefined,
    commandTimeoutSec: cmd.problem ?? problemOf(limitsSchema.shape.commandTimeoutSec, cmd.value) ?? undefined,
  };
  const blocked = firstProblem(problems, order);

  const patch = () => {
    const limits: { memoryMb?: number | null; runtimeSec?: number | null; commandTimeoutSec?: number | null } = {};
    if (mem.value !== s.limits.memoryMb) limits.memoryMb = mem.value;
    if (runtimeSec !== s.limits.runtimeSec) limits.runtimeSec = runtimeSec;
    if (cmd.value !== s.limits.commandTimeoutSec) limits.commandTimeoutSec = cmd.value;
    return {
      name: name.trim() !== s.name ? name.trim() : undefined,
      priority: prio.value !== s.priority && prio.value !== null ? prio.value : undefined,
      limits: Object.keys(limits).length > 0 ? limits : undefined,
    };
  };
  const p = patch();
  const changed = p.name !== undefined || p.priority !== undefined || p.limits !== undefined;
  const save = () => {
    if (blocked || !changed) return;
    update.mutate({ sessionId: s.id, ...p }, { onSuccess: onClose });
  };

  return (
    <Modal
      title={`Edit “${s.name}”`}
      onClose={onClose}
      testId="session-edit-dialog"
      footer={
        <>
          {blocked && <span className="wizard-problem">{blocked}</span>}
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="btn primary"
            data-testid="session-edit-save"
            disabled={Boolean(blocked) || !changed || update.isPending}
            onClick={save}
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <Field
          id="se-name"
          label="Name"
          problem={problems.name}
          testId="session-edit-name"
          hint="The branch keeps its name."
        >
          {(a) => (
            <input
              {...a}
              type="text"
              value={name}
              autoFocus={focus !== 'priority'}
              data-testid="session-edit-name"
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          id="se-priority"
          label="Priority (1 lowest – 10 normal)"
          problem={problems.priority}
          testId="session-edit-priority"
          hint={
            isRunningStatus(s.status)
              ? 'Applies to the running program at once (its niceness) and to its place in the queue.'
              : 'Decides who starts first when the running cap is reached.'
          }
        >
          {(a) => (
            <input
              {...a}
              type="number"
              min={1}
              max={10}
              value={priority}
              autoFocus={focus === 'priority'}
              data-testid="session-edit-priority"
              onChange={(e) => setPriority(e.target.value)}
            />
          )}
        </Field>
        <div className="row wrap form-row">
          <Field id="se-mem" label="Memory limit (MB)" problem={problems.memoryMb} testId="session-edit-memory">
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="numeric"
                placeholder="no limit"
                value={memoryMb}
                data-testid="session-edit-memory"
                onChange={(e) => setMemoryMb(e.target.value)}
              />
            )}
          </Field>
          <Field id="se-time" label="Time limit (minutes)" problem={problems.runtimeMin} testId="session-edit-runtime">
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="decimal"
                placeholder="no limit"
                value={runtimeMin}
                data-testid="session-edit-runtime"
                onChange={(e) => setRuntimeMin(e.target.value)}
              />
            )}
          </Field>
          <Field id="se-cmd" label="Command timeout (s)" problem={problems.commandTimeoutSec}>
            {(a) => (
              <input
                {...a}
                type="text"
                inputMode="numeric"
                placeholder="none"
                value={timeoutSec}
                onChange={(e) => setTimeoutSec(e.target.value)}
              />
            )}
          </Field>
        </div>
        <p className="hint">
          Empty removes a limit. Limits apply to the whole process tree from the next check (every few seconds).
        </p>
        {update.isError && (
          <div className="error-box" role="alert">
            {errorText(update.error)}
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}
