// Export of the drawing as SVG or PNG. The exported SVG is standalone: the page's graph rules
// (those of this bundle's stylesheet that style SVG classes) are copied in with every
// `var(--vscode-...)` replaced by its current value, so the file looks like the view in the
// current theme. PNG renders that SVG on a canvas at twice the size.
export function exportSvg(svg: SVGSVGElement, bounds: { width: number; height: number }): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const pad = 20;
  const w = Math.ceil(bounds.width + 2 * pad);
  const hgt = Math.ceil(bounds.height + 2 * pad);
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(hgt));
  clone.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  const viewport = clone.querySelector('.viewport');
  viewport?.setAttribute('transform', `translate(${pad},${pad})`);
  for (const el of Array.from(clone.querySelectorAll('[tabindex]'))) el.removeAttribute('tabindex');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = resolvedGraphCss();
  clone.insertBefore(style, clone.firstChild);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('class', 'export-background');
  clone.insertBefore(bg, style.nextSibling);
  return new XMLSerializer().serializeToString(clone);
}

export function exportPng(svgText: string, width: number, height: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(2, 16000 / Math.max(width, height));
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(width * scale);
      canvas.height = Math.ceil(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      resolve(canvas.toDataURL('image/png'));
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('the SVG could not be rendered'));
    };
    img.src = url;
  });
}

/** The stylesheet rules about the graph, with CSS variables resolved. */
function resolvedGraphCss(): string {
  const computed = getComputedStyle(document.body);
  const fontFamily = computed.fontFamily;
  const out: string[] = [`svg { font-family: ${fontFamily}; font-size: 12px; }`];
  for (const sheet of Array.from(document.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSStyleRule) || !/\.(g-|node|edge|ns|badge|arrow|layer|export-background|pod|more|toggle)/.test(rule.selectorText)) continue;
      out.push(resolveVars(rule.cssText, computed));
    }
  }
  return out.join('\n');
}

/** Replaces `var(--x, fallback)` by the current value of `--x` (or the fallback), innermost first. */
function resolveVars(css: string, computed: CSSStyleDeclaration): string {
  let text = css;
  for (let i = 0; i < 8 && text.includes('var('); i++) {
    text = text.replace(/var\((--[\w-]+)(?:,\s*([^()]*))?\)/g, (_m, name: string, fallback?: string) => {
      const v = computed.getPropertyValue(name).trim();
      return v || (fallback ?? 'currentColor').trim();
    });
  }
  return text.replace(/var\([^)]*\)/g, 'currentColor');
}
