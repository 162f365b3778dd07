/** URL pattern for one URL of a remote: the part before ${name}, matched as a substring (Gerrit's --url). */
export function urlPatternOf(template: string): string {
  const i = template.indexOf('${name}');
  return i > 0 ? template.slice(0, i) : template;
}
