import { type Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { CoreErrorCode, CoreErrors } from '../errors/core.errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `limit`, `offset`, `cursor`, `order` as every list of the admin API takes them. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Ignored when a cursor is given' })
  @IsOptional()
  @TransformType(() => Number)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  offset?: number;

  @ApiPropertyOptional({
    description: 'Opaque: the next_cursor of the page before, for deep paging without offsets',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

/** One page of a list, in the shape every list answers. */
export interface Page<T> {
  items: T[];
  total?: number;
  limit: number;
  offset: number;
  has_more: boolean;
  next_cursor: string | null;
}

/** Encodes the position after the last item of a page; clients treat it as opaque. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor, checking it carries the expected keys; a bad one is a 400. */
export function decodeCursor<K extends string>(
  cursor: string,
  keys: readonly K[],
): Record<K, string | number> {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      value &&
      typeof value === 'object' &&
      keys.every((key) => ['string', 'number'].includes(typeof (value as Record<string, unknown>)[key]))
    ) {
      return value as Record<K, string | number>;
    }
  } catch {
    // fall through to the 400 below
  }
  throw CoreErrors.create(CoreErrorCode.VALIDATION_FAILED, 'The cursor is not valid.', {
    errors: [
      {
        field: 'cursor',
        code: 'invalid_cursor',
        message: 'cursor must be the next_cursor of a previous page',
      },
    ],
  });
}

/**
 * Builds the page from `limit + 1` fetched rows: the extra row only tells whether there is
 * more, and the last kept row gives the next cursor.
 */
export function buildPage<Row, Item>(
  rows: Row[],
  options: {
    limit: number;
    offset: number;
    total?: number;
    toItem: (row: Row) => Item;
    cursorOf: (row: Row) => Record<string, string | number>;
  },
): Page<Item> {
  const hasMore = rows.length > options.limit;
  const kept = hasMore ? rows.slice(0, options.limit) : rows;
  return {
    items: kept.map(options.toItem),
    ...(options.total === undefined ? {} : { total: options.total }),
    limit: options.limit,
    offset: options.offset,
    has_more: hasMore,
    next_cursor: hasMore && kept.length > 0 ? encodeCursor(options.cursorOf(kept[kept.length - 1])) : null,
  };
}

/** The OpenAPI schema of a page of `item`, e.g. `class UserPageDto extends PageOf(UserDto) {}`. */
export function PageOf<T>(item: Type<T>) {
  class PageDto {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiPropertyOptional({ description: 'Matching items in all; may be left out when paging by cursor' })
    total?: number;
    @ApiProperty() limit: number;
    @ApiProperty() offset: number;
    @ApiProperty() has_more: boolean;
    @ApiProperty({ nullable: true, type: String }) next_cursor: string | null;
  }
  return PageDto;
}
