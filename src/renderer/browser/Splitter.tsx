/**
 * A resize handle (the sidebar's edge, the downloads panel's top, a column's right edge): drag
 * it, or focus it and use the arrow keys (Home/End: smallest/largest). An ARIA separator with
 * its value, so a screen reader says how wide. The value is shown live while dragging and
 * remembered (saved) when the drag ends.
 */
import { useEffect, useRef, useState } from 'react';

/** A remembered size with a live value while it is being dragged. */
export function useResizable(saved: number, save: (v: number) => void) {
  const [live, setLive] = useState<number | null>(null);
  const set = (v: number, done: boolean) => {
    if (done) {
      setLive(null);
      save(v);
    } else setLive(v);
  };
  return [live ?? saved, set] as const;
}

export function Splitter(p: {
  /** 'vertical': a vertical bar that changes a width; 'horizontal': a bar that changes a height. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  label: string;
  /** Dragging towards the start (left/up) grows the value (a panel docked at the end). */
  invert?: boolean;
  step?: number;
  className?: string;
  onChange: (value: number, done: boolean) => void;
}) {
  const drag = useRef<{ start: number; from: number; last: number } | null>(null);
  const [active, setActive] = useState(false);
  const clamp = (v: number) => Math.round(Math.min(p.max, Math.max(p.min, v)));
  const axis = (e: { clientX: number; clientY: number }) =>
    p.orientation === 'vertical' ? e.clientX : e.clientY;
  const step = p.step ?? 16;

  useEffect(() => {
    if (!active) return;
    const move = (e: PointerEvent) => {
      const d = drag.current;
      if (!d) return;
      const delta = (axis(e) - d.start) * (p.invert ? -1 : 1);
      d.last = clamp(d.from + delta);
      p.onChange(d.last, false);
    };
    const up = () => {
      const d = drag.current;
      drag.current = null;
      setActive(false);
      if (d) p.onChange(d.last, true);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', up);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', up);
    };
  });

  const grow = p.orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
  const shrink = p.orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
  return (
    <div
      role="separator"
      tabIndex={0}
      aria-orientation={p.orientation}
      aria-valuenow={Math.round(p.value)}
      aria-valuemin={p.min}
      aria-valuemax={p.max}
      aria-label={p.label}
      title={p.label}
      className={`splitter ${p.orientation} ${active ? 'active' : ''} ${p.className ?? ''}`}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.stopPropagation();
        drag.current = { start: axis(e), from: p.value, last: p.value };
        setActive(true);
      }}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        let v: number | null = null;
        const sign = p.invert ? -1 : 1;
        if (e.key === grow) v = p.value + step * sign;
        else if (e.key === shrink) v = p.value - step * sign;
        else if (e.key === 'Home') v = p.min;
        else if (e.key === 'End') v = p.max;
        if (v === null) return;
        e.preventDefault();
        e.stopPropagation();
        p.onChange(clamp(v), true);
      }}
    />
  );
}
