/** The repository's root for bench scripts: the one definition in src/repository-paths. */
export { PACKAGE_ROOT as REPO_ROOT, fromRoot } from '../../src/repository-paths';
