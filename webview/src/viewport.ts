// Pan and zoom of the graph: wheel zooms at the pointer, dragging the background pans, keys
// (+, -, 0, arrows with Shift) do the same from the keyboard. The transform is plain data so the
// view can keep it across model updates and restore it from saved state.
export interface Transform {
  x: number;
  y: number;
  k: number;
}

const MIN_K = 0.05;
const MAX_K = 4;

export class Viewport {
  private t: Transform = { x: 20, y: 20, k: 1 };
  private drag: { x: number; y: number; tx: number; ty: number; id: number } | undefined;
  /**
   * The drawing area's size, kept by a ResizeObserver: reading it from the element while
   * thousands of new nodes wait for layout would force that layout synchronously.
   */
  private size = { width: 0, height: 0, left: 0, top: 0 };
  /** True once the user zoomed or panned; until then (and again after "fit") resizes re-fit the drawing. */
  userAdjusted = false;

  constructor(
    private readonly svg: SVGSVGElement,
    private readonly target: SVGGElement,
    private readonly changed: (t: Transform) => void,
  ) {
    this.measure();
    new ResizeObserver(() => this.measure()).observe(svg);
    svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = svg.getBoundingClientRect();
      this.zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-ev.deltaY * 0.0015));
    }, { passive: false });
    svg.addEventListener('pointerdown', (ev) => {
      const t = ev.target as Element;
      if (t.closest('[data-edge], [data-toggle]') || (t.closest('[data-id]') && !t.closest('.ns'))) return;
      this.drag = { x: ev.clientX, y: ev.clientY, tx: this.t.x, ty: this.t.y, id: ev.pointerId };
      svg.setPointerCapture(ev.pointerId);
      svg.classList.add('panning');
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!this.drag || ev.pointerId !== this.drag.id) return;
      this.userAdjusted = true;
      this.set({ ...this.t, x: this.drag.tx + ev.clientX - this.drag.x, y: this.drag.ty + ev.clientY - this.drag.y });
    });
    const end = (ev: PointerEvent) => {
      if (!this.drag || ev.pointerId !== this.drag.id) return;
      this.drag = undefined;
      svg.classList.remove('panning');
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  /** Re-reads the element's size (cheap while the drawing is unchanged since the last frame). */
  measure(): void {
    const r = this.svg.getBoundingClientRect();
    this.size = { width: r.width, height: r.height, left: r.left, top: r.top };
  }

  get transform(): Transform {
    return { ...this.t };
  }

  set(t: Transform): void {
    this.t = { x: t.x, y: t.y, k: Math.max(MIN_K, Math.min(MAX_K, t.k)) };
    this.target.setAttribute('transform', `translate(${this.t.x.toFixed(2)},${this.t.y.toFixed(2)}) scale(${this.t.k.toFixed(4)})`);
    this.changed(this.transform);
  }

  zoomAt(px: number, py: number, factor: number): void {
    this.userAdjusted = true;
    const k = Math.max(MIN_K, Math.min(MAX_K, this.t.k * factor));
    const f = k / this.t.k;
    this.set({ k, x: px - (px - this.t.x) * f, y: py - (py - this.t.y) * f });
  }

  /** Zoom around the centre of the view. */
  zoom(factor: number): void {
    const r = this.size;
    this.zoomAt(r.width / 2, r.height / 2, factor);
  }

  pan(dx: number, dy: number): void {
    this.userAdjusted = true;
    this.set({ ...this.t, x: this.t.x + dx, y: this.t.y + dy });
  }

  /** Shows the whole `width` x `height` drawing (never zooming in beyond 1.25). */
  fit(width: number, height: number): void {
    this.userAdjusted = false;
    const r = this.size;
    if (width <= 0 || height <= 0 || r.width <= 0 || r.height <= 0) return;
    const pad = 24;
    const k = Math.min(1.25, (r.width - 2 * pad) / width, (r.height - 2 * pad) / height);
    this.set({ k, x: (r.width - width * k) / 2, y: Math.max(pad, (r.height - height * k) / 2) });
  }

  /** Pans (without zooming) so that the box is visible. */
  reveal(box: { x: number; y: number; w: number; h: number }): void {
    const r = this.size;
    const left = box.x * this.t.k + this.t.x;
    const top = box.y * this.t.k + this.t.y;
    const right = left + box.w * this.t.k;
    const bottom = top + box.h * this.t.k;
    let dx = 0;
    let dy = 0;
    if (left < 0 || right > r.width) dx = r.width / 2 - (left + right) / 2;
    if (top < 0 || bottom > r.height) dy = r.height / 2 - (top + bottom) / 2;
    if (dx !== 0 || dy !== 0) this.pan(dx, dy);
  }
}
