import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Which of a toolbar's optional items do not fit: items are dropped in the order given (the least
 * needed first) until the rest fits the bar; dropped items are offered in the overflow menu.
 * Widths of hidden items are remembered from when they were shown, so nothing flickers.
 */
export function useOverflow<T extends string>(bar: RefObject<HTMLElement | null>, dropOrder: readonly T[]): Set<T> {
  const [hidden, setHidden] = useState<Set<T>>(() => new Set());
  const widths = useRef(new Map<T, number>());
  const orderRef = useRef(dropOrder);
  orderRef.current = dropOrder;

  const measure = useRef(() => {});
  measure.current = () => {
    const el = bar.current;
    if (!el) return;
    const gap = parseFloat(getComputedStyle(el).columnGap) || 0;
    for (const child of el.querySelectorAll<HTMLElement>('[data-ov]')) {
      widths.current.set(child.dataset.ov as T, child.offsetWidth + gap);
    }
    // Fixed items are everything that is not optional; the spacer takes no room of its own.
    let fixed = 0;
    for (const child of el.children) {
      const c = child as HTMLElement;
      if (c.dataset.ov || c.classList.contains('spacer')) continue;
      fixed += c.offsetWidth + gap;
    }
    const style = getComputedStyle(el);
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - fixed;
    const order = orderRef.current;
    let need = order.reduce((n, id) => n + (widths.current.get(id) ?? 0), 0);
    const next = new Set<T>();
    for (const id of order) {
      if (need <= room) break;
      next.add(id);
      need -= widths.current.get(id) ?? 0;
    }
    setHidden((prev) => (prev.size === next.size && [...next].every((id) => prev.has(id)) ? prev : next));
  };

  // Labels change (a preset's name, a selection count): measure again after every render.
  useLayoutEffect(() => measure.current());
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return;
    const ro = new ResizeObserver(() => measure.current());
    ro.observe(el);
    return () => ro.disconnect();
  }, [bar]);

  return hidden;
}
