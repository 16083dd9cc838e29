/** The throwaway cluster lives in scripts/ so that `npm run bench` starts one the same way. */
export { findPgBin, INSTALL_HINT, startPgCluster, type PgCluster } from '../../scripts/pg-cluster.ts';
