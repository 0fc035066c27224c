import { Module } from '@nestjs/common';
import { AccountAuthGuard } from './account-auth.guard.js';
import { AccountConsentsController } from './account-consents.controller.js';

/** The end-user account API; its domain services come from the global DomainModule. */
@Module({
  controllers: [AccountConsentsController],
  providers: [AccountAuthGuard],
})
export class AccountModule {}
