import { useState } from 'react';
import { skillSchema, type Skill } from '../../../../shared/domain';
import { errorText, useSkills } from '../../lib/queries';

interface Props {
  skills: Skill[];
  onChange(skills: Skill[]): void;
  pending: boolean;
}

const example = JSON.stringify(
  { name: 'lint', description: 'Run the linter', actions: { run: { command: 'npm', args: ['run', 'lint'] } } },
  null,
  2,
);

/** Every skill available (built-in, from settings, from repositories); custom ones are added as JSON. */
export function SkillsEditor({ skills, onChange, pending }: Props) {
  const all = useSkills();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const add = () => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      setProblem(`Not valid JSON: ${errorText(e)}`);
      return;
    }
    const parsed = skillSchema.safeParse(raw);
    if (!parsed.success) {
      setProblem(parsed.error.issues.map((i) => `${i.path.join('.') || 'skill'}: ${i.message}`).join('\n'));
      return;
    }
    const skill = { ...parsed.data, source: 'settings' as const };
    setProblem(null);
    setText('');
    onChange([...skills.filter((s) => s.name !== skill.name), skill]);
  };
  const list = all.data ?? skills;
  return (
    <div data-testid="skills-editor">
      {all.isError && <div className="error-box">{errorText(all.error)}</div>}
      <ul className="skill-list">
        {list.map((s) => (
          <li key={`${s.source}-${s.name}`} className="skill-item">
            <strong className="mono">{s.name}</strong>
            <span className="badge">{s.source}</span>
            <span className="muted truncate">{s.description}</span>
            <span className="faint truncate">{Object.keys(s.actions).join(', ')}</span>
            <span className="spacer" />
            {s.source === 'settings' && (
              <button
                className="btn ghost small danger"
                disabled={pending}
                onClick={() => onChange(skills.filter((x) => x.name !== s.name))}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="field" style={{ marginTop: 12 }}>
        <label htmlFor="skill-json">Add a custom skill (JSON)</label>
        <textarea
          id="skill-json"
          rows={6}
          placeholder={example}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {problem && <div className="error-box">{problem}</div>}
      <button className="btn small" disabled={!text.trim() || pending} onClick={add}>
        Add skill
      </button>
    </div>
  );
}
