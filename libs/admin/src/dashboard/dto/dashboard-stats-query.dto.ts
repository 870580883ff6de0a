/** The stats take no parameters; declaring none makes an unknown one a 400, as elsewhere. */
export class DashboardStatsQueryDto {}
