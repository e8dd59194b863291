/* The Win32 codes USMT logs most (USMT-FACTS.md) and the common file errors. */
#include <stddef.h>
#include "win32err.h"

static const struct {
	long code;
	const char *name;
	const char *meaning;
} uk_win32_table[] = { /* sorted by code: bsearch */
	{ 0, "ERROR_SUCCESS", "success" },
	{ 1, "ERROR_INVALID_FUNCTION", "incorrect function" },
	{ 2, "ERROR_FILE_NOT_FOUND", "the file was not found" },
	{ 3, "ERROR_PATH_NOT_FOUND", "the folder was not found" },
	{ 4, "ERROR_TOO_MANY_OPEN_FILES", "too many open files" },
	{ 5, "ERROR_ACCESS_DENIED", "access is denied" },
	{ 6, "ERROR_INVALID_HANDLE", "invalid handle" },
	{ 8, "ERROR_NOT_ENOUGH_MEMORY", "not enough memory" },
	{ 14, "ERROR_OUTOFMEMORY", "out of memory" },
	{ 15, "ERROR_INVALID_DRIVE", "the drive was not found" },
	{ 19, "ERROR_WRITE_PROTECT", "the media is write protected" },
	{ 21, "ERROR_NOT_READY", "the device is not ready" },
	{ 23, "ERROR_CRC", "data error (cyclic redundancy check)" },
	{ 29, "ERROR_WRITE_FAULT", "the device cannot write" },
	{ 30, "ERROR_READ_FAULT", "the device cannot read" },
	{ 31, "ERROR_GEN_FAILURE", "a device attached to the system is not functioning" },
	{ 32, "ERROR_SHARING_VIOLATION", "the file is in use by another process" },
	{ 33, "ERROR_LOCK_VIOLATION", "part of the file is locked by another process" },
	{ 38, "ERROR_HANDLE_EOF", "reached the end of the file" },
	{ 39, "ERROR_HANDLE_DISK_FULL", "the disk is full" },
	{ 53, "ERROR_BAD_NETPATH", "the network path was not found" },
	{ 59, "ERROR_UNEXP_NET_ERR", "an unexpected network error occurred" },
	{ 64, "ERROR_NETNAME_DELETED", "the network name is no longer available" },
	{ 67, "ERROR_BAD_NET_NAME", "the network name cannot be found" },
	{ 80, "ERROR_FILE_EXISTS", "the file exists" },
	{ 82, "ERROR_CANNOT_MAKE", "the file or folder cannot be created" },
	{ 87, "ERROR_INVALID_PARAMETER", "the parameter is incorrect" },
	{ 112, "ERROR_DISK_FULL", "not enough space on the disk" },
	{ 123, "ERROR_INVALID_NAME", "the file name or folder name syntax is incorrect" },
	{ 145, "ERROR_DIR_NOT_EMPTY", "the folder is not empty" },
	{ 161, "ERROR_BAD_PATHNAME", "the path is invalid" },
	{ 183, "ERROR_ALREADY_EXISTS", "the file already exists" },
	{ 203, "ERROR_ENVVAR_NOT_FOUND", "the environment variable was not found" },
	{ 206, "ERROR_FILENAME_EXCED_RANGE", "the file name or extension is too long" },
	{ 225, "ERROR_VIRUS_INFECTED", "the file contains a virus" },
	{ 267, "ERROR_DIRECTORY", "the folder name is invalid" },
	{ 362, "ERROR_CLOUD_FILE_PROVIDER_NOT_RUNNING", "the cloud file provider is not running" },
	{ 395, "ERROR_CLOUD_FILE_ACCESS_DENIED", "access to the cloud file is denied" },
	{ 1005, "ERROR_UNRECOGNIZED_VOLUME", "the volume has no recognized file system" },
	{ 1117, "ERROR_IO_DEVICE", "an I/O device error occurred" },
	{ 1224, "ERROR_USER_MAPPED_FILE", "the file has a user-mapped section open" },
	{ 1314, "ERROR_PRIVILEGE_NOT_HELD", "a required privilege is not held" },
	{ 1326, "ERROR_LOGON_FAILURE", "unknown user name or bad password" },
	{ 1332, "ERROR_NONE_MAPPED", "no mapping between account names and security IDs" },
	{ 1392, "ERROR_FILE_CORRUPT", "the file or folder is corrupted and unreadable" },
	{ 1920, "ERROR_CANT_ACCESS_FILE", "the file cannot be accessed by the system" },
	{ 1921, "ERROR_CANT_RESOLVE_FILENAME", "the name of the file cannot be resolved" },
	{ 2202, "ERROR_BAD_USERNAME", "the specified user name is invalid" },
	{ 3010, "ERROR_SUCCESS_REBOOT_REQUIRED", "a restart is required to complete" },
	{ 4390, "ERROR_NOT_A_REPARSE_POINT", "the file is not a reparse point" },
	{ 6000, "ERROR_ENCRYPTION_FAILED", "the file could not be encrypted" },
	{ 6002, "ERROR_FILE_ENCRYPTED", "the file is encrypted" },
};

static int uk_win32_find(long code)
{
	int lo = 0, hi = (int)(sizeof uk_win32_table / sizeof uk_win32_table[0]) - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (uk_win32_table[mid].code == code)
			return mid;
		if (uk_win32_table[mid].code < code)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

const char *uk_win32_name(long code)
{
	int i = uk_win32_find(code);
	return i < 0 ? NULL : uk_win32_table[i].name;
}

const char *uk_win32_meaning(long code)
{
	int i = uk_win32_find(code);
	return i < 0 ? NULL : uk_win32_table[i].meaning;
}
