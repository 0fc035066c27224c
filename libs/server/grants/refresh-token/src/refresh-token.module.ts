import { Module } from '@nestjs/common';
import { RefreshTokenGrant } from './refresh-token.grant.js';

@Module({ providers: [RefreshTokenGrant], exports: [RefreshTokenGrant] })
export class RefreshTokenModule {}
