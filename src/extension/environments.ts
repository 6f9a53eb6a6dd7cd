/**
 * Environments and their variables: plain values are kept with the collection in globalState,
 * secret values only in VS Code's SecretStorage (keyed by collection, environment and name).
 */
import * as vscode from 'vscode';
import { MAX_VARIABLES, VARIABLE_NAME } from '../shared/variables';
import type { Collection, Environment, Variable } from '../shared/protocol';
import type { ActionResult } from '../core/session';
import type { EndpointStore } from './endpointStore';

function secretKey(collectionId: string, environment: string, variable: string): string {
  return `websocketDebugger.variable/${JSON.stringify([collectionId, environment, variable])}`;
}

export class Environments {
  constructor(
    private readonly store: EndpointStore,
    private readonly secrets: vscode.SecretStorage,
  ) {}

  /** Checks and stores an environment; a secret whose value is '' keeps the value stored before. */
  async save(collectionId: string, environment: Environment): Promise<ActionResult> {
    const collection = this.store.collections.find((c) => c.id === collectionId);
    if (!collection) return { ok: false, field: 'variables', error: vscode.l10n.t('Choose a saved collection for the environment') };
    const name = environment.name.trim();
    if (name === '') return { ok: false, field: 'variables', error: vscode.l10n.t('Enter a name for the environment') };
    if (environment.variables.length > MAX_VARIABLES) {
      return { ok: false, field: 'variables', error: vscode.l10n.t('An environment has at most {0} variables', MAX_VARIABLES) };
    }
    const seen = new Set<string>();
    const stored: Variable[] = [];
    for (const variable of environment.variables) {
      const varName = variable.name.trim();
      if (varName === '' && variable.value === '') continue;
      if (!VARIABLE_NAME.test(varName)) {
        return { ok: false, field: 'variables', error: vscode.l10n.t('"{0}" is not a variable name: use letters, digits, _ . - (not starting with a digit)', varName) };
      }
      if (seen.has(varName)) return { ok: false, field: 'variables', error: vscode.l10n.t('The variable "{0}" is listed twice', varName) };
      seen.add(varName);
      if (variable.secret) {
        if (variable.value !== '') await this.secrets.store(secretKey(collectionId, name, varName), variable.value);
        stored.push({ name: varName, value: '', secret: true });
      } else {
        await this.secrets.delete(secretKey(collectionId, name, varName));
        stored.push({ name: varName, value: variable.value });
      }
    }
    // Secrets of variables that were removed are removed too.
    const previous = collection.environments?.find((env) => env.name === name);
    for (const old of previous?.variables ?? []) {
      if (old.secret && !seen.has(old.name)) await this.secrets.delete(secretKey(collectionId, name, old.name));
    }
    await this.store.saveEnvironment(collectionId, { name, variables: stored });
    return { ok: true };
  }

  /** The active environment's variables with secret values filled in from SecretStorage. */
  async activeVariables(collection: Collection | undefined): Promise<Variable[]> {
    const environment = collection?.environments?.find((env) => env.name === collection.activeEnvironment);
    if (!collection || !environment) return [];
    const variables: Variable[] = [];
    for (const variable of environment.variables) {
      if (!variable.secret) variables.push({ name: variable.name, value: variable.value });
      else {
        const value = (await this.secrets.get(secretKey(collection.id, environment.name, variable.name))) ?? '';
        variables.push({ name: variable.name, value, secret: true });
      }
    }
    return variables;
  }
}
