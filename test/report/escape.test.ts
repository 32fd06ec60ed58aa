import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeTerminal, markdownBlock, markdownCode } from '../../src/report/escape.js';

const HOSTILE = 'GET /\u001b]0;pwned\u0007\u001b[2J<script>alert(1)</script>`x`\u202e HTTP/1.1';

describe('escaping log-derived strings', () => {
  it('neutralises terminal escape sequences, BEL, C1 and bidi controls', () => {
    const s = escapeTerminal(HOSTILE);
    expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(s).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
    expect(s).toContain('\\u{202e}');
  });

  it('HTML-escapes markup and quotes', () => {
    const s = escapeHtml(HOSTILE);
    expect(s).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(s).not.toContain('<script>');
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });

  it('Markdown code spans and blocks cannot be broken out of', () => {
    const span = markdownCode('a``b');
    expect(span).toBe('```a``b```');
    const block = markdownBlock(['```', 'x']);
    expect(block.startsWith('````text\n')).toBe(true);
    expect(block.endsWith('\n````')).toBe(true);
  });
});
