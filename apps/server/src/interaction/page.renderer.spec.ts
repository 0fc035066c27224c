import { formActionSource } from './page.renderer.js';

describe('formActionSource (CSP form-action for the redirect back to the client)', () => {
  it('admits the origin of an http(s) redirect URI, without path or query', () => {
    expect(formActionSource('https://app.example/callback?x=1')).toBe('https://app.example');
    expect(formActionSource('http://127.0.0.1:8080/cb')).toBe('http://127.0.0.1:8080');
  });

  it("admits a native app's private-use scheme as a scheme-source", () => {
    expect(formActionSource('com.example.app:/callback')).toBe('com.example.app:');
  });

  it('never admits script-capable schemes or garbage', () => {
    expect(formActionSource('javascript:alert(1)')).toBeNull();
    expect(formActionSource('data:text/html,x')).toBeNull();
    expect(formActionSource('not a url')).toBeNull();
  });
});
