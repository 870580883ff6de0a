import { describe, expect, it } from 'vitest';

import { UserEntity } from '../user.entity.js';
import { toOidcClaims } from './user-profile.js';

function user(fields: Partial<UserEntity>): UserEntity {
  return Object.assign(new UserEntity(), {
    id: '6f1c2b1e-8a4d-4c1e-9a57-0d7b5c3e2f10',
    username: 'ada',
    email: 'ada@example.com',
    emailVerified: true,
    name: null,
    givenName: null,
    familyName: null,
    middleName: null,
    nickname: null,
    preferredUsername: null,
    profile: null,
    picture: null,
    website: null,
    gender: null,
    birthdate: null,
    zoneinfo: null,
    locale: null,
    phoneNumber: null,
    phoneNumberVerified: false,
    address: null,
    updatedAt: new Date('2025-01-02T03:04:05.678Z'),
    ...fields,
  });
}

describe(toOidcClaims.name, () => {
  it('should give only sub, preferred_username, email and updated_at when the profile is empty', () => {
    expect(toOidcClaims(user({}))).toEqual({
      sub: '6f1c2b1e-8a4d-4c1e-9a57-0d7b5c3e2f10',
      preferred_username: 'ada',
      email: 'ada@example.com',
      email_verified: true,
      updated_at: 1735787045,
    });
  });

  it('should name every claim in snake_case when the profile is filled', () => {
    const address = { street_address: '12 Analytical Row', locality: 'London', country: 'GB' };
    const claims = toOidcClaims(
      user({
        name: 'Ada Lovelace',
        givenName: 'Ada',
        familyName: 'Lovelace',
        middleName: 'Augusta',
        nickname: 'Countess',
        preferredUsername: 'ada.l',
        profile: 'https://example.com/ada',
        picture: 'https://example.com/ada.png',
        website: 'https://ada.example.com',
        gender: 'female',
        birthdate: '1815-12-10',
        zoneinfo: 'Europe/London',
        locale: 'en-GB',
        phoneNumber: '+44 20 7946 0000',
        phoneNumberVerified: true,
        address,
      }),
    );

    expect(claims).toMatchObject({
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      middle_name: 'Augusta',
      nickname: 'Countess',
      preferred_username: 'ada.l',
      profile: 'https://example.com/ada',
      picture: 'https://example.com/ada.png',
      website: 'https://ada.example.com',
      gender: 'female',
      birthdate: '1815-12-10',
      zoneinfo: 'Europe/London',
      locale: 'en-GB',
      phone_number: '+44 20 7946 0000',
      phone_number_verified: true,
      address,
    });
  });

  it('should leave out phone_number_verified when there is no phone number', () => {
    expect(toOidcClaims(user({ phoneNumberVerified: true }))).not.toHaveProperty('phone_number_verified');
  });
});
