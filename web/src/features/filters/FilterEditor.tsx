// One API filter in the editor: name, urgency, trigger (1–2 conditions),
// title/description keys, Map Incident With, and the optional resolve part.
import { useRef } from 'react';
import type { Condition, Filter } from '../../../../server/contract.ts';
import { LIMITS, type FilterPart, type Problem } from './limits.ts';

export type ProblemsAt = (path: string) => Problem[];

function FieldErrors({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-errors" role="alert">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

function ConditionEditor({
  legend,
  condition,
  path,
  problemsAt,
  onChange,
  onRemove,
  split,
}: {
  legend: string;
  condition: Condition;
  path: string;
  problemsAt: ProblemsAt;
  onChange: (c: Condition) => void;
  onRemove?: (() => void) | undefined;
  split: Split;
}) {
  // The item just added gets the focus once it is drawn.
  const focusItem = useRef<number | null>(null);
  const setItem = (i: number, v: string) => onChange({ ...condition, contains: condition.contains.map((x, k) => (k === i ? v : x)) });
  const removeItem = (i: number) => onChange({ ...condition, contains: condition.contains.filter((_, k) => k !== i) });
  const full = condition.contains.length >= LIMITS.itemsPerCondition;
  return (
    <fieldset className="condition">
      <legend>{legend}</legend>
      <div className="cond-grid">
        <label>
          Payload key
          <input
            value={condition.key}
            onChange={(e) => onChange({ ...condition, key: e.target.value })}
            className={problemsAt(`${path}.key`).length ? 'invalid' : ''}
            placeholder="e.g. status"
            spellCheck={false}
          />
          <FieldErrors problems={problemsAt(`${path}.key`)} />
        </label>
        <div>
          <span className="label-text">
            Value contains <span className="muted small">(all must match, case-insensitive · {condition.contains.length}/{LIMITS.itemsPerCondition})</span>
          </span>
          <ul className="items-edit">
            {condition.contains.map((item, i) => {
              const itemProblems = problemsAt(`${path}.contains[${i}]`);
              return (
                <li key={i}>
                  <input
                    aria-label={`Value contains ${i + 1}`}
                    ref={(el) => {
                      if (el && focusItem.current === i) {
                        focusItem.current = null;
                        el.focus();
                      }
                    }}
                    value={item}
                    onChange={(e) => setItem(i, e.target.value)}
                    className={itemProblems.length ? 'invalid' : ''}
                    spellCheck={false}
                  />
                  <span className={`counter ${item.length > LIMITS.itemLength ? 'bad' : ''}`}>
                    {item.length}/{LIMITS.itemLength}
                  </span>
                  <button type="button" className="btn btn-icon" aria-label={`Remove value ${i + 1}`} onClick={() => removeItem(i)}>
                    ×
                  </button>
                  <FieldErrors problems={itemProblems} />
                </li>
              );
            })}
          </ul>
          {condition.contains.length === 0 ? <p className="muted small">No items: the condition holds when the key is present.</p> : null}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={full}
            onClick={() => {
              focusItem.current = condition.contains.length;
              onChange({ ...condition, contains: [...condition.contains, ''] });
            }}
          >
            + Add value
          </button>
          {full ? <span className="muted small"> at most {LIMITS.itemsPerCondition} values</span> : null}
          <FieldErrors problems={problemsAt(`${path}.contains`)} />
          <AllItemsNote condition={condition} split={split} />
        </div>
      </div>
      {onRemove ? (
        <button type="button" className="btn btn-small btn-ghost danger" onClick={onRemove}>
          Remove condition
        </button>
      ) : null}
    </fieldset>
  );
}

/** Splitting one condition's items into a filter each: whether it can, and doing it. */
export type Split = { blocked: (part: FilterPart, condition: number) => string | null; run: (part: FilterPart, condition: number) => void; part: FilterPart; condition: number };

/**
 * Beside a condition with two or more items, where the "OPEN or FIRING"
 * mistake is made: every item must appear; "either" takes a filter each.
 */
function AllItemsNote({ condition, split }: { condition: Condition; split: Split }) {
  const items = condition.contains.filter((x) => x !== '');
  if (items.length < 2) return null;
  const blocked = split.blocked(split.part, split.condition);
  const words = items.map((x) => `“${x}”`);
  return (
    <div className="hint-box" role="note">
      <p className="small">
        All {items.length} values must appear in <code>{condition.key || 'the key'}</code>: {words.slice(0, -1).join(', ')} and {words.at(-1)}. For
        either one, each needs its own filter.
      </p>
      <button type="button" className="btn btn-small" disabled={blocked !== null} title={blocked ?? undefined} onClick={() => split.run(split.part, split.condition)}>
        Split into {items.length} filters
      </button>
      {blocked !== null && items.length >= 2 ? <span className="muted small"> Cannot split: {blocked}.</span> : null}
    </div>
  );
}

type FilterPartProps = {
  filter: Filter;
  p: string;
  problemsAt: ProblemsAt;
  onChange: (f: Filter) => void;
  splitBlocked: Split['blocked'];
  onSplit: Split['run'];
};

export function FilterEditor({
  filter,
  index,
  count,
  problemsAt,
  onChange,
  onMove,
  onRemove,
  splitBlocked,
  onSplit,
}: {
  filter: Filter;
  index: number;
  count: number;
  problemsAt: ProblemsAt;
  onChange: (f: Filter) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  splitBlocked: Split['blocked'];
  onSplit: Split['run'];
}) {
  const p = `filters[${index}]`;
  const label = filter.name.trim() || `#${index + 1}`;
  return (
    <article className="filter-card" aria-label={`Filter ${label}`}>
      <header className="filter-card-head">
        <span className="ft-index">#{index + 1}</span>
        <label className="grow">
          Filter name
          <input value={filter.name} onChange={(e) => onChange({ ...filter, name: e.target.value })} className={problemsAt(`${p}.name`).length ? 'invalid' : ''} />
          <FieldErrors problems={problemsAt(`${p}.name`)} />
        </label>
        <label>
          Urgency
          <select value={filter.urgency} onChange={(e) => onChange({ ...filter, urgency: e.target.value === 'Low' ? 'Low' : 'High' })}>
            <option>High</option>
            <option>Low</option>
          </select>
        </label>
        <div className="row gap-s order-buttons">
          <button type="button" className="btn btn-icon" aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="btn btn-icon" aria-label={`Move ${label} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" className="btn btn-small btn-ghost danger" aria-label={`Remove ${label}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      </header>
      <TriggerPart filter={filter} p={p} problemsAt={problemsAt} onChange={onChange} splitBlocked={splitBlocked} onSplit={onSplit} />
      <ResolvePart filter={filter} p={p} problemsAt={problemsAt} onChange={onChange} splitBlocked={splitBlocked} onSplit={onSplit} />
    </article>
  );
}

/** What opens an incident: its conditions, where title and description come from, and the map key. */
function TriggerPart({ filter, p, problemsAt, onChange, splitBlocked, onSplit }: FilterPartProps) {
  const tc = filter.trigger.conditions;
  const setTrigger = (conditions: Condition[]) => onChange({ ...filter, trigger: { ...filter.trigger, conditions } });
  return (
    <section className="part-edit">
      <h4>
        Trigger <span className="muted small">opens an incident · 1–2 conditions, all must hold</span>
      </h4>
      {tc.map((c, j) => (
        <ConditionEditor
          key={j}
          legend={`Trigger condition ${j + 1}`}
          condition={c}
          path={`${p}.trigger.conditions[${j}]`}
          problemsAt={problemsAt}
          onChange={(nc) => setTrigger(tc.map((x, k) => (k === j ? nc : x)))}
          onRemove={tc.length > LIMITS.triggerConditions.min ? () => setTrigger(tc.filter((_, k) => k !== j)) : undefined}
          split={{ blocked: splitBlocked, run: onSplit, part: 'trigger', condition: j }}
        />
      ))}
      {tc.length < LIMITS.triggerConditions.max ? (
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setTrigger([...tc, { key: '', contains: [] }])}>
          + Add trigger condition
        </button>
      ) : (
        <span className="muted small">A trigger has at most {LIMITS.triggerConditions.max} conditions.</span>
      )}
      <FieldErrors problems={problemsAt(`${p}.trigger.conditions`)} />
      <div className="row gap wrap fields">
        <label>
          Incident title from
          <input value={filter.trigger.titleFrom} onChange={(e) => onChange({ ...filter, trigger: { ...filter.trigger, titleFrom: e.target.value } })} placeholder="title" spellCheck={false} />
        </label>
        <label>
          Incident description from
          <input
            value={filter.trigger.descriptionFrom}
            onChange={(e) => onChange({ ...filter, trigger: { ...filter.trigger, descriptionFrom: e.target.value } })}
            placeholder="message"
            spellCheck={false}
          />
        </label>
        <label>
          Map Incident With
          <input
            value={filter.mapWith}
            onChange={(e) => onChange({ ...filter, mapWith: e.target.value })}
            className={problemsAt(`${p}.mapWith`).length ? 'invalid' : ''}
            placeholder="eventId"
            spellCheck={false}
          />
          <FieldErrors problems={problemsAt(`${p}.mapWith`)} />
        </label>
      </div>
    </section>
  );
}

/** The optional part that resolves the incident with the same map value. */
function ResolvePart({ filter, p, problemsAt, onChange, splitBlocked, onSplit }: FilterPartProps) {
  const setResolve = (patch: Partial<Filter['resolve']>) => onChange({ ...filter, resolve: { ...filter.resolve, ...patch } });
  return (
    <section className="part-edit">
      <label className="switch-label">
        <input
          type="checkbox"
          role="switch"
          checked={filter.resolve.enabled}
          onChange={(e) =>
            setResolve({
              enabled: e.target.checked,
              conditions: e.target.checked && filter.resolve.conditions.length === 0 ? [{ key: 'status', contains: ['RESOLVED'] }] : filter.resolve.conditions,
            })
          }
        />
        Resolve part <span className="muted small">resolves the active incident with the same map value · exactly 1 condition</span>
      </label>
      {filter.resolve.enabled
        ? filter.resolve.conditions.map((c, j) => (
            <ConditionEditor
              key={j}
              legend={`Resolve condition ${j + 1}`}
              condition={c}
              path={`${p}.resolve.conditions[${j}]`}
              problemsAt={problemsAt}
              onChange={(nc) => setResolve({ conditions: filter.resolve.conditions.map((x, k) => (k === j ? nc : x)) })}
              onRemove={filter.resolve.conditions.length > 1 ? () => setResolve({ conditions: filter.resolve.conditions.filter((_, k) => k !== j) }) : undefined}
              split={{ blocked: splitBlocked, run: onSplit, part: 'resolve', condition: j }}
            />
          ))
        : null}
      <FieldErrors problems={problemsAt(`${p}.resolve.conditions`)} />
    </section>
  );
}
