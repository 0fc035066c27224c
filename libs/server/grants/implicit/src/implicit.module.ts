import { Module } from '@nestjs/common';
import { ImplicitGrant } from './implicit.grant.js';

@Module({ providers: [ImplicitGrant], exports: [ImplicitGrant] })
export class ImplicitModule {}
