/**
 * A themed progress bar that assistive tech reads as one: role=progressbar, named after the
 * transfer, with its value (or none while the total is unknown: an indeterminate bar).
 */
export function ProgressBar(p: {
  label: string;
  /** Whole percent; undefined while the total is not known yet. */
  percent: number | undefined;
  valueText?: string;
  /** `held`: not moving (paused, retrying, waiting for data) — drawn without the accent. */
  tone: 'on' | 'held';
}) {
  const known = p.percent !== undefined;
  return (
    <div
      className={`tx-progress ${p.tone}${known ? '' : ' indeterminate'}`}
      role="progressbar"
      aria-label={p.label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(known ? { 'aria-valuenow': p.percent, 'aria-valuetext': p.valueText } : {})}
    >
      <div className="tx-fill" style={known ? { width: `${p.percent}%` } : undefined} />
    </div>
  );
}
