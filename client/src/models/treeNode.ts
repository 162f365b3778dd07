// The shape every tree model produces. The VS Code adapters (views/*.ts) map it 1:1 onto a
// TreeItem; the models themselves make no vscode calls, so node:test can check them.

export type Severity = 'error' | 'warning';

export interface TreeNode {
  /** Stable id: keeps selection and expansion across refreshes. */
  id: string;
  kind: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name (without `$()`), optionally coloured via `iconColor` (a theme color id). */
  icon?: string;
  iconColor?: string;
  /** Drives `view/item/context` menus (`viewItem == …`). */
  contextValue?: string;
  children?: TreeNode[];
  expanded?: boolean;
  /** Opens a file at a 1-based line when the node is clicked. */
  open?: { file: string; line: number };
  /** The payload commands receive (a task, a remote name…). */
  data?: unknown;
}
