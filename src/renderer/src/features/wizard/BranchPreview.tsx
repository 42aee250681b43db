import { branchNameFromTemplate, branchNameProblem } from '../../../../shared/branch-names';
import { useSettings } from '../../lib/queries';
import type { RowPlan } from './use-session-plans';
import { rowBranchName, rowName, type WizardDraft } from './wizard-draft';

/**
 * The branch each copy will get, as the user types: the host's plan when it has answered (exact,
 * made unique against the repository), else the same derivation done here while it is asked.
 */
export function BranchPreview({ draft, plans }: { draft: WizardDraft; plans: RowPlan[] }) {
  const template = useSettings().data?.branchTemplate ?? '';
  if (draft.branchMode === 'existing') {
    return draft.existingBranch ? (
      <p className="branch-preview" data-testid="wizard-branch-preview">
        Works on the existing branch <span className="mono">{draft.existingBranch}</span>.
      </p>
    ) : null;
  }
  // A typed name git would refuse has its problem shown at the field; there is nothing to preview.
  const typed = draft.branchName.trim();
  if (typed && branchNameProblem(typed)) return null;
  const exact = plans.every((p) => p.plans !== null);
  const names = exact
    ? plans.flatMap((p) => p.plans!.map((x) => x.branch))
    : draft.rows.flatMap((row) => {
        const typed = rowBranchName(draft, row);
        const base = rowName(draft, row);
        return Array.from({ length: Math.max(1, row.count) }, (_, i) => {
          const copyName = row.count > 1 ? `${base} ${i + 1}` : base;
          if (typed) return row.count > 1 ? `${typed}-${i + 1}` : typed;
          return branchNameFromTemplate(template, { name: copyName, type: draft.type });
        });
      });
  if (!draft.name.trim() || names.length === 0) return null;
  const notes = exact ? plans.flatMap((p) => p.plans!.map((x) => x.branchNote).filter(Boolean)) : [];
  const shown = names.slice(0, 3);
  return (
    <p className="branch-preview" data-testid="wizard-branch-preview" aria-live="polite">
      {names.length === 1 ? 'Branch: ' : 'Branches: '}
      {shown.map((n, i) => (
        <span key={n}>
          {i > 0 && ', '}
          <span className="mono">{n}</span>
        </span>
      ))}
      {names.length > shown.length && ` and ${names.length - shown.length} more`}
      {!exact && <span className="muted"> (checking…)</span>}
      {notes.length > 0 && <span className="muted"> — {notes[0]}, so the next free name is used</span>}
    </p>
  );
}
