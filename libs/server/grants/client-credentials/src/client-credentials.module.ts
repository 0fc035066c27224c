import { Module } from '@nestjs/common';
import { ClientCredentialsGrant } from './client-credentials.grant.js';

@Module({
  providers: [ClientCredentialsGrant],
  exports: [ClientCredentialsGrant],
})
export class ClientCredentialsModule {}
