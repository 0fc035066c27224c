/** What tenancy needs from configuration. */
export abstract class TenancyOptions {
  abstract readonly publicUrl: string;
}
