/**
 * The byte layout of a stored (uncompressed) ZIP archive whose every entry's size and CRC-32 is
 * known up front: local headers carry the real CRC and sizes (no data descriptors), so the
 * archive's length and every byte of it follow from the entry list alone. That is what lets a
 * download answer `Range` requests without reading the files before the range (docs/decisions/
 * 0016-model-bundle-zip.md). ZIP64 fields are written for entries, offsets and the directory at
 * or above `zip64Threshold` (4 GiB − 1 by the format; lower only in tests). APPNOTE 6.3.10.
 */

/** One file of the archive; its bytes come from elsewhere (see zip-stream.ts). */
export interface ZipEntry {
  /** Path inside the archive (UTF-8, `/`-separated). */
  name: string;
  size: number;
  crc32: number;
}

export type ZipSegment =
  | { kind: "bytes"; offset: number; bytes: Buffer }
  | { kind: "entry"; offset: number; length: number; entryIndex: number };

export interface ZipLayout {
  totalLength: number;
  segments: ZipSegment[];
}

export interface ZipLayoutOptions {
  /** Modification time of every entry (DOS time, UTC fields; 1980–2107). */
  modifiedAt: Date;
  /** Sizes and offsets at or above this use ZIP64 fields. Default 0xffffffff (the format's). */
  zip64Threshold?: number;
}

const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
const UTF8_NAMES = 0x0800;
const STORED = 0;
const VERSION_PLAIN = 20;
const VERSION_ZIP64 = 45;
/** "Made by" Unix (3), so the mode below (regular file, rw-r--r--) is honoured on extraction. */
const MADE_BY_UNIX = 3 << 8;
const REGULAR_FILE_MODE = 0o100644;

export function layoutZip(entries: ZipEntry[], options: ZipLayoutOptions): ZipLayout {
  const threshold = options.zip64Threshold ?? MAX_32;
  const { time, date } = dosDateTime(options.modifiedAt);
  const segments: ZipSegment[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  const push = (bytes: Buffer) => {
    segments.push({ kind: "bytes", offset, bytes });
    offset += bytes.length;
  };

  entries.forEach((entry, entryIndex) => {
    assertEntry(entry);
    const name = Buffer.from(entry.name, "utf8");
    const headerOffset = offset;
    const bigSize = entry.size >= threshold;
    const bigOffset = headerOffset >= threshold;
    const shared = {
      time,
      date,
      crc32: entry.crc32,
      size32: bigSize ? MAX_32 : entry.size,
      nameLength: name.length,
    };

    const localExtra = bigSize ? zip64Extra([entry.size, entry.size]) : Buffer.alloc(0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedHeaderFields(local, 4, {
      versionNeeded: bigSize ? VERSION_ZIP64 : VERSION_PLAIN,
      ...shared,
      extraLength: localExtra.length,
    });
    push(Buffer.concat([local, name, localExtra]));
    if (entry.size > 0) {
      segments.push({ kind: "entry", offset, length: entry.size, entryIndex });
      offset += entry.size;
    }

    const zip64 = [
      ...(bigSize ? [entry.size, entry.size] : []),
      ...(bigOffset ? [headerOffset] : []),
    ];
    const centralExtra = zip64.length > 0 ? zip64Extra(zip64) : Buffer.alloc(0);
    const central = Buffer.alloc(46);
    const version = zip64.length > 0 ? VERSION_ZIP64 : VERSION_PLAIN;
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX | version, 4);
    writeSharedHeaderFields(central, 6, {
      versionNeeded: version,
      ...shared,
      extraLength: centralExtra.length,
    });
    // comment length, disk number start, internal attributes: 0
    central.writeUInt32LE((REGULAR_FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(bigOffset ? MAX_32 : headerOffset, 42);
    directory.push(Buffer.concat([central, name, centralExtra]));
  });

  const directoryOffset = offset;
  const directoryBytes = Buffer.concat(directory);
  push(directoryBytes);
  const count = entries.length;
  const needsZip64End =
    count >= MAX_16 || directoryBytes.length >= threshold || directoryOffset >= threshold;
  if (needsZip64End) {
    const zip64EndOffset = offset;
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(MADE_BY_UNIX | VERSION_ZIP64, 12);
    record.writeUInt16LE(VERSION_ZIP64, 14);
    // this disk, disk with the directory: 0
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(directoryBytes.length), 40);
    record.writeBigUInt64LE(BigInt(directoryOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(zip64EndOffset), 8);
    locator.writeUInt32LE(1, 16); // total number of disks
    push(Buffer.concat([record, locator]));
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(needsZip64End ? MAX_16 : count, 8);
  end.writeUInt16LE(needsZip64End ? MAX_16 : count, 10);
  end.writeUInt32LE(needsZip64End ? MAX_32 : directoryBytes.length, 12);
  end.writeUInt32LE(needsZip64End ? MAX_32 : directoryOffset, 16);
  push(end);
  return { totalLength: offset, segments };
}

/**
 * The run of fields the local header (from byte 4) and the central directory header (from byte 6)
 * share in the same order: version needed, flags, method, DOS time and date, CRC-32, compressed
 * and uncompressed size (equal: entries are stored), name length, extra field length.
 */
function writeSharedHeaderFields(
  header: Buffer,
  at: number,
  fields: {
    versionNeeded: number;
    time: number;
    date: number;
    crc32: number;
    /** The size, or 0xffffffff when the ZIP64 extra field carries it. */
    size32: number;
    nameLength: number;
    extraLength: number;
  },
): void {
  header.writeUInt16LE(fields.versionNeeded, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(STORED, at + 4);
  header.writeUInt16LE(fields.time, at + 6);
  header.writeUInt16LE(fields.date, at + 8);
  header.writeUInt32LE(fields.crc32, at + 10);
  header.writeUInt32LE(fields.size32, at + 14);
  header.writeUInt32LE(fields.size32, at + 18);
  header.writeUInt16LE(fields.nameLength, at + 22);
  header.writeUInt16LE(fields.extraLength, at + 24);
}

function zip64Extra(values: number[]): Buffer {
  const extra = Buffer.alloc(4 + 8 * values.length);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, index) => extra.writeBigUInt64LE(BigInt(value), 4 + 8 * index));
  return extra;
}

function assertEntry(entry: ZipEntry): void {
  if (!Number.isSafeInteger(entry.size) || entry.size < 0) {
    throw new RangeError(`size of ${entry.name} must be a non-negative integer`);
  }
  if (!Number.isInteger(entry.crc32) || entry.crc32 < 0 || entry.crc32 > MAX_32) {
    throw new RangeError(`crc32 of ${entry.name} must be an unsigned 32-bit integer`);
  }
  const nameBytes = Buffer.byteLength(entry.name, "utf8");
  if (nameBytes === 0 || nameBytes > MAX_16) {
    throw new RangeError("entry names must be 1 to 65535 bytes");
  }
}

/** MS-DOS date and time fields (2-second resolution), clamped to what they can hold. */
export function dosDateTime(at: Date): { time: number; date: number } {
  const earliest = Date.UTC(1980, 0, 1);
  const latest = Date.UTC(2107, 11, 31, 23, 59, 58);
  const moment = new Date(Math.min(Math.max(at.getTime(), earliest), latest));
  const time =
    (moment.getUTCHours() << 11) | (moment.getUTCMinutes() << 5) | (moment.getUTCSeconds() >> 1);
  const date =
    ((moment.getUTCFullYear() - 1980) << 9) |
    ((moment.getUTCMonth() + 1) << 5) |
    moment.getUTCDate();
  return { time, date };
}
