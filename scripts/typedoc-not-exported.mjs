// TypeDoc plugin: fail the reference when a public signature names a @locksmith type that no entry
// point exports (a user could not import it, and the reference shows it unlinked). TypeDoc's own
// `notExported` check only covers the project's package, here the private root `locksmith`.
import { Application, makeRecursiveVisitor } from 'typedoc';

/**
 * Types a public type is built from but users never name: testkit's TimelineEvent is derived from
 * the fault workers' IPC events (`FaultWorkerEvent`, through `Stamped`); its own members are documented.
 */
const INTERNAL = new Set(['@locksmith/testkit:FaultWorkerEvent', '@locksmith/testkit:Stamped']);

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const warned = new Set();
    const visitor = makeRecursiveVisitor({
      reference(type) {
        if (type.reflection || type.isIntentionallyBroken() || !type.package?.startsWith('@locksmith/'))
          return;
        const id = `${type.package}:${type.qualifiedName}`;
        if (warned.has(id) || INTERNAL.has(id)) return;
        warned.add(id);
        app.logger.validationWarning(
          `${type.qualifiedName} (${type.package}) is used by ${owner.getFriendlyFullName()} but not exported: export it from the package's entry point`,
        );
      },
    });
    let owner;
    for (const reflection of Object.values(project.reflections)) {
      owner = reflection;
      for (const type of [
        reflection.type,
        reflection.default,
        reflection.overwrites,
        ...(reflection.implementedTypes ?? []),
        ...(reflection.extendedTypes ?? []),
      ]) {
        type?.visit(visitor);
      }
    }
  });
}
